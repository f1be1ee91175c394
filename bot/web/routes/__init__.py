"""The gateway's HTTP routes: parse, call one service function, shape the answer."""
