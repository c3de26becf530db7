"""salesportal shared layer. Package __init__ files stay empty: a handler pays for every import."""
