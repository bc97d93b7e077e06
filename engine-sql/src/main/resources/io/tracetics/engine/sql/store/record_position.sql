INSERT INTO load_positions (load_stream, position) VALUES (?, ?)
ON CONFLICT (load_stream) DO UPDATE SET position = greatest(load_positions.position, excluded.position)
