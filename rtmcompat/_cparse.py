"""The C and C++ parser adapter of ``rtmcompat scan``: the only module that calls the tree-sitter binding.

Theory of operation
-------------------
py-tree-sitter's Python API has changed in every minor release so far (0.22 ``Language(ptr)``, 0.23 captures as a
dict, 0.25 ``QueryCursor``, 0.26 dropped ``Language.query``), so every binding call lives here and the rest of the
scanner sees plain data: :class:`Syntax` holds byte offsets, names and small tuples, never a tree-sitter object.

One parse runs one query over the tree (the C or the C++ grammar, chosen by the caller) and sorts the captures into:

* every identifier by name with its byte offsets, and the role of the special ones (called, member call, declared
  as a function, defined as a macro, named by ``#ifdef``/``defined()``, used as a type); everything else is a use;
* for wanted names only, the arguments of their calls as small expression trees (flag decoding needs them);
* function definitions with their names (C++ methods defined in a class body get ``Class::`` in front), macro
  definitions with their raw bodies, include paths, ``#pragma``/``#undef`` lines, string literals, the conditional
  directives (``#if`` ... ``#endif``) wherever the grammar put them, comments carrying a marker;
* what the parser could not read: the outermost ERROR ranges, the MISSING tokens it invented, and functions it
  recovered inside ERROR regions (a function declarator followed by ``{``), which the finder uses when no real
  function definition encloses a site.

Tree-sitter reads invalid UTF-8 without complaint, so the source goes in as the bytes of the file.
"""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version
from typing import Literal, NamedTuple

import tree_sitter
import tree_sitter_c
import tree_sitter_cpp

Dialect = Literal["c", "cpp"]


class Name(NamedTuple):
    """An identifier in an argument expression."""

    text: str


class Number(NamedTuple):
    """A number literal in an argument expression, as written (``0x9``, ``60``, ``8UL``)."""

    text: str


class Binary(NamedTuple):
    """``left op right`` in an argument expression."""

    op: str
    left: Expr
    right: Expr


class Unary(NamedTuple):
    """``op operand`` (``~``, ``-``, ``!``) in an argument expression."""

    op: str
    operand: Expr


class Other(NamedTuple):
    """Any other expression (a call, a field, a cast of something complex), as written."""

    text: str


Expr = Name | Number | Binary | Unary | Other


class Argument(NamedTuple):
    """One argument of a call: its text as written and its expression tree."""

    text: str
    expr: Expr


class Function(NamedTuple):
    """A function definition (or one recovered inside an ERROR region)."""

    name: str
    start: int
    end: int
    #: True when the parser could not read the definition and it was recovered from an ERROR region.
    recovered: bool


class Macro(NamedTuple):
    """``#define NAME body`` or ``#define NAME(params) body``."""

    name: str
    #: Byte offset of the name.
    start: int
    #: Byte offsets of the whole directive.
    directive_start: int
    directive_end: int
    #: The parameter names of a function-like macro, None for an object-like one.
    params: tuple[str, ...] | None
    #: The raw body and the byte offset it starts at (empty body: b"" at the end of the name).
    body: bytes
    body_start: int


class Text(NamedTuple):
    """A piece of source text the grammar leaves raw (an include path, a ``#pragma`` argument, a string's
    content, a comment), with its byte offset."""

    start: int
    text: bytes


class Directive(NamedTuple):
    """A conditional directive token (``#if``, ``#ifdef``, ``#ifndef``, ``#elif``, ``#elifdef``, ``#elifndef``,
    ``#else``, ``#endif``), wherever the grammar put it."""

    kind: str
    start: int
    end: int


class Syntax(NamedTuple):
    """What one parse of one source found, as plain data (byte offsets into the parsed bytes)."""

    #: Every identifier (and type, field or namespace name the grammar gives a role) by name: its start offsets.
    occurrences: dict[str, list[int]]
    #: The role of identifiers that are not plain uses: ``call``, ``member-call``, ``declarator``, ``define``,
    #: ``preproc``, ``type``, ``field`` (a structure member's name, declared or used).
    roles: dict[int, str]
    #: The arguments of calls of wanted names, by the start offset of the called name.
    arguments: dict[int, tuple[Argument, ...]]
    functions: list[Function]
    macros: list[Macro]
    #: ``#include`` paths as written, delimiters included (``<rtm.h>``, ``"rtm.h"``).
    includes: list[Text]
    #: ``#pragma`` arguments.
    pragmas: list[Text]
    #: String literal contents (between the quotes; raw strings between the parentheses).
    strings: list[Text]
    directives: list[Directive]
    #: Comments that contain the marker the caller asked for.
    comments: list[Text]
    #: Outermost ERROR ranges (start, end).
    errors: list[tuple[int, int]]
    #: Tokens the parser invented to recover (start offset, token), e.g. a missing ``;``.
    missing: list[Text]


_COMMON_QUERY = """
(identifier) @id
(type_identifier) @type
(field_identifier) @field
(call_expression function: (identifier) @call)
(call_expression function: (field_expression field: (field_identifier) @member))
(function_declarator declarator: (identifier) @decl)
(preproc_def name: (identifier) @define) @macro
(preproc_function_def name: (identifier) @define) @macro
(preproc_ifdef name: (identifier) @preproc)
(preproc_elifdef name: (identifier) @preproc)
(preproc_defined (identifier) @preproc)
(preproc_include path: (_) @include)
(preproc_call directive: (preproc_directive)) @pcall
(string_literal) @string
(function_definition) @function
(ERROR) @error
(comment) @comment
["#if" "#ifdef" "#ifndef" "#elif" "#elifdef" "#else" "#endif"] @cond
"""

_CPP_QUERY = """
(call_expression function: (qualified_identifier name: (identifier) @call))
(call_expression function: (template_function name: (identifier) @call))
(function_declarator declarator: (qualified_identifier name: (identifier) @decl))
(function_declarator declarator: (field_identifier) @decl)
(raw_string_literal) @string
"""

_CONDITIONAL_KINDS = frozenset({"#if", "#ifdef", "#ifndef", "#elif", "#elifdef", "#elifndef", "#else", "#endif"})
_ROLE_ORDER = ("field", "type", "preproc", "define", "decl", "member", "call")
_ROLE_NAMES = {"decl": "declarator", "member": "member-call"}
_DECLARATOR_WRAPPERS = frozenset(
    {
        "function_declarator",
        "pointer_declarator",
        "reference_declarator",
        "parenthesized_declarator",
        "attributed_declarator",
        "array_declarator",
    }
)
_NAME_NODES = frozenset(
    {"identifier", "field_identifier", "qualified_identifier", "destructor_name", "operator_name", "template_function"}
)
_CLASS_NODES = frozenset({"class_specifier", "struct_specifier", "union_specifier"})


@functools.cache
def _language(dialect: Dialect) -> tree_sitter.Language:
    return tree_sitter.Language(tree_sitter_cpp.language() if dialect == "cpp" else tree_sitter_c.language())


@functools.cache
def _query(dialect: Dialect) -> tree_sitter.Query:
    text = _COMMON_QUERY + (_CPP_QUERY if dialect == "cpp" else "")
    return tree_sitter.Query(_language(dialect), text)


def grammar_versions() -> dict[str, str]:
    """The versions of the binding and the grammars in use (for reports and bug reports)."""
    found = {}
    for name in ("tree-sitter", "tree-sitter-c", "tree-sitter-cpp"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - installed with the package
            found[name] = "unknown"
    return found


def parse(source: bytes, dialect: Dialect, wanted: frozenset[str] = frozenset(), marker: bytes = b"") -> Syntax:
    """Parse ``source`` with the grammar of ``dialect`` and return what the scanner needs.

    ``wanted``: names whose calls get their arguments recorded. ``marker``: only comments containing it are kept.
    """
    parser = tree_sitter.Parser(_language(dialect))
    tree = parser.parse(source)
    root = tree.root_node
    captures = tree_sitter.QueryCursor(_query(dialect)).captures(root)

    def text(node: tree_sitter.Node) -> bytes:
        return source[node.start_byte : node.end_byte]

    occurrences: dict[str, list[int]] = {}
    for key in ("id", "type", "field", "member", "decl"):
        for node in captures.get(key, ()):
            start = node.start_byte
            name = source[start : node.end_byte].decode("utf-8", "replace")
            bucket = occurrences.get(name)
            if bucket is None:
                occurrences[name] = [start]
            elif bucket[-1] != start:
                bucket.append(start)
    for bucket in occurrences.values():
        bucket.sort()
        # a declarator or member name is captured twice when it is also an identifier node
        if len(bucket) > 1:
            bucket[:] = sorted(set(bucket))

    roles: dict[int, str] = {}
    for key in _ROLE_ORDER:  # later keys win
        role = _ROLE_NAMES.get(key, key)
        for node in captures.get(key, ()):
            roles[node.start_byte] = role

    arguments: dict[int, tuple[Argument, ...]] = {}
    if wanted:
        for key in ("call", "member"):
            for node in captures.get(key, ()):
                if text(node).decode("utf-8", "replace") in wanted:
                    call = _enclosing_call(node)
                    if call is not None:
                        arguments[node.start_byte] = _arguments(call, source)

    functions = [
        Function(_function_name(node, source), node.start_byte, node.end_byte, False)
        for node in captures.get("function", ())
    ]
    errors = _outermost([(node.start_byte, node.end_byte) for node in captures.get("error", ())])
    functions += _recovered_functions(captures.get("error", []), source)
    functions.sort(key=lambda f: (f.start, -f.end))

    macros = [_macro(node, source) for node in captures.get("macro", ())]
    includes = [Text(node.start_byte, text(node)) for node in captures.get("include", ())]
    pragmas: list[Text] = []
    directives = [
        Directive(_directive_kind(text(node)), node.start_byte, node.end_byte) for node in captures.get("cond", ())
    ]
    for node in captures.get("pcall", ()):
        directive = node.child_by_field_name("directive")
        argument = node.child_by_field_name("argument")
        if directive is None:
            continue
        kind = _directive_kind(text(directive))
        if kind in _CONDITIONAL_KINDS:
            directives.append(Directive(kind, directive.start_byte, directive.end_byte))
        elif kind == "#pragma" and argument is not None:
            pragmas.append(Text(argument.start_byte, text(argument)))
    directives = sorted(set(directives), key=lambda d: d.start)

    include_starts = {item.start for item in includes}
    strings = []
    for node in captures.get("string", ()):
        if node.start_byte in include_starts:
            continue
        literal = text(node)
        if node.type == "raw_string_literal":
            open_at, close_at = literal.find(b"("), literal.rfind(b")")
        else:
            open_at, close_at = literal.find(b'"'), len(literal) - 1
        if 0 <= open_at < close_at:
            strings.append(Text(node.start_byte + open_at + 1, literal[open_at + 1 : close_at]))

    comments = [
        Text(node.start_byte, text(node)) for node in captures.get("comment", ()) if marker and marker in text(node)
    ]
    missing = _missing(root) if root.has_error else []
    return Syntax(
        occurrences=occurrences,
        roles=roles,
        arguments=arguments,
        functions=functions,
        macros=macros,
        includes=includes,
        pragmas=pragmas,
        strings=strings,
        directives=directives,
        comments=comments,
        errors=errors,
        missing=missing,
    )


def _directive_kind(raw: bytes) -> str:
    """``# if`` and ``#if`` alike (the preprocessor allows blanks after ``#``)."""
    return "#" + raw.lstrip(b"#").strip().decode("ascii", "replace")


def _enclosing_call(node: tree_sitter.Node) -> tree_sitter.Node | None:
    current: tree_sitter.Node | None = node.parent
    for _ in range(3):  # identifier -> [qualified_identifier | field_expression | template_function] -> call
        if current is None:
            return None
        if current.type == "call_expression":
            return current
        current = current.parent
    return None


def _arguments(call: tree_sitter.Node, source: bytes) -> tuple[Argument, ...]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return ()
    return tuple(
        Argument(source[child.start_byte : child.end_byte].decode("utf-8", "replace"), _expr(child, source))
        for child in args.named_children
        if child.type != "comment"
    )


def _expr(node: tree_sitter.Node, source: bytes) -> Expr:
    kind = node.type
    raw = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    if kind == "identifier":
        return Name(raw)
    if kind == "number_literal":
        return Number(raw)
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        inner = node.named_children[0]
        return _expr(inner, source)
    if kind == "cast_expression":
        value = node.child_by_field_name("value")
        return _expr(value, source) if value is not None else Other(raw)
    if kind == "binary_expression":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        if left is not None and right is not None and operator is not None:
            return Binary(operator.type, _expr(left, source), _expr(right, source))
    if kind == "unary_expression":
        operand, operator = node.child_by_field_name("argument"), node.child_by_field_name("operator")
        if operand is not None and operator is not None:
            return Unary(operator.type, _expr(operand, source))
    return Other(raw)


def _declarator_name(declarator: tree_sitter.Node | None, source: bytes) -> str | None:
    node = declarator
    for _ in range(16):
        if node is None:
            return None
        if node.type in _NAME_NODES:
            return b"".join(source[node.start_byte : node.end_byte].split()).decode("utf-8", "replace")
        if node.type not in _DECLARATOR_WRAPPERS:
            return None
        inner = node.child_by_field_name("declarator")
        if inner is None:
            named = [child for child in node.named_children if child.type in _NAME_NODES | _DECLARATOR_WRAPPERS]
            inner = named[0] if named else None
        node = inner
    return None


def _function_name(node: tree_sitter.Node, source: bytes) -> str:
    name = _declarator_name(node.child_by_field_name("declarator"), source) or "<anonymous>"
    if "::" in name:
        return name
    scopes = []
    parent = node.parent
    while parent is not None:
        if parent.type in _CLASS_NODES:
            class_name = parent.child_by_field_name("name")
            if class_name is not None:
                scopes.append(source[class_name.start_byte : class_name.end_byte].decode("utf-8", "replace"))
        parent = parent.parent
    return "::".join([*reversed(scopes), name])


def _recovered_functions(errors: list[tree_sitter.Node], source: bytes) -> list[Function]:
    """Functions inside ERROR regions: a function declarator directly followed by ``{`` or a block starts one,
    which runs to the next such start or to the end of the region (``#ifdef`` branches that split braces, unknown
    macros in front of a definition)."""
    found: list[Function] = []
    for error in errors:
        starts: list[tuple[int, str]] = []
        children = error.children
        for index, child in enumerate(children[:-1]):
            follower = children[index + 1]
            if child.type == "function_declarator" and follower.type in ("{", "compound_statement"):
                name = _declarator_name(child, source)
                if name:
                    starts.append((child.start_byte, name))
        for index, (start, name) in enumerate(starts):
            end = starts[index + 1][0] if index + 1 < len(starts) else error.end_byte
            found.append(Function(name, start, end, True))
    return found


def _macro(node: tree_sitter.Node, source: bytes) -> Macro:
    name_node = node.child_by_field_name("name")
    value = node.child_by_field_name("value")
    params_node = node.child_by_field_name("parameters")
    params = None
    if params_node is not None:
        params = tuple(
            source[child.start_byte : child.end_byte].decode("utf-8", "replace") for child in params_node.named_children
        )
    assert name_node is not None  # the query only matches definitions with a name
    name = source[name_node.start_byte : name_node.end_byte].decode("utf-8", "replace")
    if value is None:
        body, body_start = b"", name_node.end_byte
    else:
        body, body_start = source[value.start_byte : value.end_byte], value.start_byte
    return Macro(name, name_node.start_byte, node.start_byte, node.end_byte, params, body, body_start)


def _outermost(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            continue
        merged.append((start, end))
    return merged


def _missing(root: tree_sitter.Node) -> list[Text]:
    """MISSING tokens: walk only the subtrees that contain an error."""
    found: list[Text] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            found.append(Text(node.start_byte, node.type.encode()))
            continue
        stack.extend(child for child in node.children if child.has_error or child.is_missing)
    found.sort()
    return found
