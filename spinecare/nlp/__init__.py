"""The project's own spaCy pipeline, built from source: no pretrained model can be downloaded."""
