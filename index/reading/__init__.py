"""Reading files: finding them in an archive, decoding bytes, splitting files into raw documents."""
