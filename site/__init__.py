# `site` is a frozen standard-library module, so this package is imported as `consultancy_site`
# (mapped in pyproject.toml; the project is installed editable).
