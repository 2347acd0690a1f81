"""Date and number formats where Django's own locale formats are wrong or missing for Bozor.

Django reads these through FORMAT_MODULE_PATH and falls back to its own module, name by name, for
anything a module here leaves out; English keeps Django's formats entirely."""
