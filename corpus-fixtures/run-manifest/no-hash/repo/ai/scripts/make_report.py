print('changed')
