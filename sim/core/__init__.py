"""What every layer may use: nothing here imports the rest of ``sim``."""
