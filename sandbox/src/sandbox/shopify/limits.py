"""Limits Shopify enforces before running a query: page sizes and input array sizes."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
    value_from_ast_untyped,
)

from sandbox.shopify.connections import MAX_PAGE_SIZE
from sandbox.shopify.metafields import MAX_METAFIELDS_PER_CALL

#: Input arrays capped below the general 250, by (root field, argument).
_INPUT_CAPS = {("metafieldsSet", "metafields"): MAX_METAFIELDS_PER_CALL}


def check_limits(
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> list[GraphQLError]:
    """Every page size over 250 and every input array over its cap, as GraphQL errors."""
    errors: list[GraphQLError] = []
    _walk(selection_set, fragments, variables, [], errors, set())
    return errors


def _walk(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    path: list[str],
    errors: list[GraphQLError],
    seen_fragments: set[str],
) -> None:
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            _walk(selection.selection_set, fragments, variables, path, errors, seen_fragments)
            continue
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen_fragments:
                inner = fragments[name].selection_set
                _walk(inner, fragments, variables, path, errors, seen_fragments | {name})
            continue
        if not isinstance(selection, FieldNode):
            continue
        key = (selection.alias or selection.name).value
        _check_field(selection, variables, [*path, key], errors)
        _walk(selection.selection_set, fragments, variables, [*path, key], errors, seen_fragments)


def _check_field(
    field: FieldNode, variables: dict[str, Any], path: list[str], errors: list[GraphQLError]
) -> None:
    for argument in field.arguments or ():
        name = argument.name.value
        value = value_from_ast_untyped(argument.value, variables)
        # Shopify refuses page sizes over 250 before running the query; the wording of its
        # message could not be checked against a live shop, so clients should key on the
        # error, not on the text.
        if name in ("first", "last") and isinstance(value, int) and value > MAX_PAGE_SIZE:
            errors.append(
                GraphQLError(
                    f"The value of the argument `{name}` ({value}) on field `{field.name.value}`"
                    f" exceeds the maximum page size of {MAX_PAGE_SIZE}.",
                    argument,
                    path=path,
                )
            )
            continue
        cap = _INPUT_CAPS.get((field.name.value, name), MAX_PAGE_SIZE)
        size = _largest_array(value)
        if size > cap:
            errors.append(
                GraphQLError(
                    f"The input array size of {size} is greater than the maximum allowed of {cap}.",
                    argument,
                    path=[*path, name],
                    extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"},
                )
            )


def _largest_array(value: Any) -> int:
    if isinstance(value, list):
        return max([len(value), *(_largest_array(item) for item in value)])
    if isinstance(value, dict):
        return max([0, *(_largest_array(item) for item in value.values())])
    return 0
