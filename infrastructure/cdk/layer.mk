# The third-party dependency layer for arm64 Lambdas, built without Docker from wheels only.
LAYER_DIR := build/layers/deps

layer: $(LAYER_DIR)/.built  ## Build the arm64 dependency layer into build/layers/deps

$(LAYER_DIR)/.built: pyproject.toml | venv
	rm -rf $(LAYER_DIR) && mkdir -p $(LAYER_DIR)/python
	$(PY) infrastructure/cdk/runtime_requirements.py > $(LAYER_DIR)/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check \
		--platform manylinux2014_aarch64 --implementation cp --python-version 3.14 \
		--only-binary=:all: --target $(LAYER_DIR)/python -r $(LAYER_DIR)/requirements.txt
	touch $@
