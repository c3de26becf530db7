# The third-party dependency layers (infrastructure/layers.py) for arm64 python3.13 Lambdas,
# built from requirements/lambda.txt without Docker, reproducibly: build/layers/<name>/python.
LAYER_STAMP := build/layers/.built-$(shell cat requirements/lambda.txt infrastructure/layers.py | cksum | cut -d' ' -f1)

.PHONY: layer
layer: $(LAYER_STAMP)  ## Build the arm64 dependency layers into build/layers/<name> (sizes, hashes)

$(LAYER_STAMP): requirements/lambda.txt infrastructure/layers.py infrastructure/cdk/build_layers.py | venv
	$(PY) -m infrastructure.cdk.build_layers
	@rm -f build/layers/.built-* && touch $@
