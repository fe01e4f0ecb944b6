"""The pretrained multilingual encoder (multilingual-e5-small), made loadable offline."""
