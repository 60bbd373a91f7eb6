"""The read contract as old migrations froze it: their view SQL, column docs and data steps, never edited."""
