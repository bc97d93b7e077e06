SELECT position FROM load_positions WHERE load_stream = ?
