"""The shape the code keeps (issue 15), checked: handlers are doorways, and workflows and
domain rules speak in typed values, never in DynamoDB items or loose dicts."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "shared" / "python" / "salesportal"
HANDLERS = sorted((ROOT / "functions").glob("*/handler.py"))
MEDIAN_LINES, MAX_LINES = 60, 120
# Annotations that let untyped data through: an item or a payload passed around as a dict.
LOOSE = ("dict[str, Any]", "Mapping[str, Any]", "dict[str, object]", "Mapping[str, object]")


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def test_handlers_are_short_doorways():
    sizes = {path.parent.name: _lines(path) for path in HANDLERS}
    too_long = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not too_long, f"handlers over {MAX_LINES} lines: {too_long}"
    assert statistics.median(sizes.values()) <= MEDIAN_LINES, sorted(sizes.items(), key=lambda kv: -kv[1])


def _signatures(path: Path) -> list[tuple[str, str]]:
    """(function, annotation) for every parameter and return annotation in the module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            args += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
            annotations = [a.annotation for a in args if a.annotation is not None]
            annotations += [node.returns] if node.returns is not None else []
            found += [(node.name, ast.unparse(a)) for a in annotations]
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*(LAYER / "workflows").glob("*.py"), *(LAYER / "domain").glob("*.py")]),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_workflow_and_domain_signatures_take_and_give_typed_values(path):
    loose = [(name, a) for name, a in _signatures(path) if any(word in a for word in LOOSE)]
    assert not loose, f"{path.name}: {loose}"


# -- one repository convention (data.dynamo) ------------------------------------------------
DATA = sorted((LAYER / "data").glob("*.py"))
PLUMBING = LAYER / "data" / "dynamo.py"


def _data_modules() -> list[Path]:
    return [path for path in DATA if path != PLUMBING]


@pytest.mark.parametrize("path", _data_modules(), ids=lambda p: p.name)
def test_repositories_reach_dynamodb_only_through_the_base(path):
    """The client is the base's (``TableRepository._client``), so a caller with its own
    client (a Cognito trigger's tighter budget) reaches every table through it."""
    assert 'client("dynamodb")' not in path.read_text()


@pytest.mark.parametrize("path", _data_modules(), ids=lambda p: p.name)
def test_a_failed_condition_is_caught_in_one_place(path):
    """``TableRepository._conditionally`` catches it and answers a value; no repository
    reads DynamoDB's error codes itself."""
    text = path.read_text()
    assert "ConditionalCheckFailed" not in text
    assert "is_condition_failure" not in text


# The DynamoDB client's calls that touch a table.
TABLE_CALLS = {
    "get_item",
    "put_item",
    "update_item",
    "delete_item",
    "query",
    "scan",
    "batch_get_item",
    "batch_write_item",
    "transact_write_items",
    "transact_get_items",
}


def _uses_own_table(cls: ast.ClassDef) -> bool:
    """Whether the class calls the client itself (``self._client()``, or a table call on any
    client), rather than through a repository it holds."""
    for node in ast.walk(cls):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in TABLE_CALLS:
                return True
            target = node.func.value
            if node.func.attr == "_client" and isinstance(target, ast.Name) and target.id == "self":
                return True
    return False


@pytest.mark.parametrize("path", _data_modules(), ids=lambda p: p.name)
def test_every_class_with_a_table_extends_the_one_base(path):
    tree = ast.parse(path.read_text())
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    bases = {cls.name: {ast.unparse(b) for b in cls.bases} for cls in classes}

    def repository(name: str) -> bool:
        return "TableRepository" in bases.get(name, set()) or any(
            repository(b) for b in bases.get(name, set())
        )

    strays = [cls.name for cls in classes if _uses_own_table(cls) and not repository(cls.name)]
    assert not strays, f"{path.name}: {strays} reach a table without TableRepository"


def _protocol_returns(path: Path) -> list[tuple[str, str]]:
    """(method, return annotation) of every method of the module's Protocol classes."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ClassDef) and any("Protocol" in ast.unparse(b) for b in node.bases):
            found += [
                (f"{node.name}.{item.name}", ast.unparse(item.returns))
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.returns is not None
            ]
    return found


def _returns(path: Path) -> list[tuple[str, str]]:
    return [
        (node.name, ast.unparse(node.returns))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None
    ]


@pytest.mark.parametrize(
    "path", [*DATA, *sorted((LAYER / "workflows").glob("*.py"))], ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_a_listing_answers_the_one_page_type(path):
    """``Page[T]`` (items and an opaque token), never a (list, cursor) pair."""
    returns = _returns(path) if path.parent.name == "data" else _protocol_returns(path)
    pairs = [(name, a) for name, a in returns if a.replace(" ", "").startswith("tuple[list[")]
    assert not pairs, f"{path.name}: {pairs}"


def test_state_changed_is_gone():
    """A lost race is a return value now; an exception of that name would be a second way."""
    from salesportal.data import dynamo

    assert not hasattr(dynamo, "StateChanged")
    mentions = [p.relative_to(ROOT) for p in LAYER.rglob("*.py") if "StateChanged" in p.read_text()]
    assert not mentions


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.name)
def test_repositories_raise_no_api_errors(path):
    """What a missing item or a lost race means is the workflow's to say, not the table's."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    assert not imported & {"salesportal.errors", "salesportal.http"}


# -- one model of an inbound domain event (models.events) ------------------------------------
EVENT_MODEL = LAYER / "models" / "events.py"


def _event_workers() -> list[Path]:
    """The handlers whose queue an EventBridge rule fills with the outbox's domain events."""
    from infrastructure import manifest

    fed = {q.name for q in manifest.QUEUES if q.subscribes_to}
    return sorted(
        ROOT / fn.source_dir / "handler.py"
        for fn in manifest.FUNCTIONS
        if isinstance(fn.trigger, manifest.QueueTrigger) and fn.trigger.queue in fed
    )


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


@pytest.mark.parametrize("path", _event_workers(), ids=lambda p: p.parent.name)
def test_every_event_worker_parses_with_the_one_model(path):
    imported = _imports(path)
    assert "salesportal.models.events.DomainEventMessage" in imported
    assert "json" not in imported, "the body is the model's to parse, not the handler's"


def test_the_event_envelope_is_modelled_once():
    """Only the one model spells the envelope's ``detail-type``: a second model of the same
    event would drift from what the outbox publishes."""
    sources = [*LAYER.rglob("*.py"), *HANDLERS]
    spelled = [p.relative_to(ROOT) for p in sources if "detail-type" in _strings(p)]
    assert spelled == [EVENT_MODEL.relative_to(ROOT)]


def _strings(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def test_the_salesforce_sync_reads_its_records_without_casts():
    """The sync's store hands out entities mapped from items and records validated as read:
    a ``cast`` there would let a stored attribute of the wrong type reach the sync unchecked."""
    tree = ast.parse((LAYER / "data" / "crm_sync.py").read_text())
    casts = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in {"cast", "typing.cast"}
    ]
    assert not casts, f"data/crm_sync.py casts at lines {casts}"
