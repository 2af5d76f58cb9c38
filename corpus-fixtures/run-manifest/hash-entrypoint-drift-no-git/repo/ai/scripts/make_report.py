print('changed after the run')
