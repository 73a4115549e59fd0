"""Custom Rasa components of the SpineCare assistant, referenced from config.yml."""
