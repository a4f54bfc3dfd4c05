"""Calculated query cost and the leaky bucket, as Shopify's Admin API charges them.

Shopify's rules: a scalar or enum costs 0, an object 1, a connection 2 plus its page size
(`first` or `last`) times the cost of one node, a mutation 10 plus what its payload selects.
The requested cost is charged from the bucket before the query runs; the actual cost counts
the nodes really returned, and the difference is refunded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    value_from_ast_untyped,
)

#: What one mutation root field costs before its payload.
MUTATION_COST = 10


class QueryCost:
    """Prices one operation against a schema.

    Args:
        schema: The schema of the API version the request is answered in.
        operation: The operation being run.
        fragments: The document's named fragments.
        variables: The request's variables.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.fragments = fragments
        self.variables = variables

    def _root(self) -> GraphQLObjectType:
        if self.operation.operation == OperationType.MUTATION:
            root = self.schema.mutation_type
        else:
            root = self.schema.query_type
        if root is None:
            raise ValueError("the schema has no root type for this operation")
        return root

    def requested(self) -> int:
        """The cost before running: every connection full to its page size."""
        return self._root_cost(None)

    def actual(self, data: dict[str, Any] | None) -> int:
        """The cost of what was returned."""
        if data is None:
            return 0
        return self._root_cost(data)

    def _root_cost(self, data: dict[str, Any] | None) -> int:
        root = self._root()
        mutation = self.operation.operation == OperationType.MUTATION
        total = 0
        for field in self._fields(self.operation.selection_set):
            definition = root.fields.get(field.name.value)
            if definition is None:
                continue
            key = (field.alias or field.name).value
            value = data.get(key) if data is not None else None
            if data is not None and key not in data:
                continue
            if mutation:
                payload_type = get_named_type(definition.type)
                children = (
                    self._selection_cost(field.selection_set, payload_type, value, data is None)
                    if value is not None or data is None
                    else 0
                )
                total += MUTATION_COST + children
            else:
                total += self._field_cost(field, definition.type, value, data is None)
        return total

    def arguments(self, field: FieldNode) -> dict[str, Any]:
        """A field's literal arguments with variables filled in."""
        return {
            argument.name.value: value_from_ast_untyped(argument.value, self.variables)
            for argument in field.arguments or ()
        }

    def _fields(self, selection_set: SelectionSetNode | None) -> list[FieldNode]:
        # Fragments are flattened, so alternative fragments on an interface are summed where
        # Shopify takes the most expensive one; queries through `node` may be overpriced.
        fields: list[FieldNode] = []
        if selection_set is None:
            return fields
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                fields.extend(self._fields(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    fields.extend(self._fields(fragment.selection_set))
        return fields

    def _selection_cost(
        self, selection_set: SelectionSetNode | None, parent: Any, data: Any, requested: bool
    ) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        total = 0
        for field in self._fields(selection_set):
            name = field.name.value
            definition = parent.fields.get(name)
            if definition is None:
                # A field of a type behind an interface: price it on the type that has it.
                definition = self._implementation_field(parent, name)
                if definition is None:
                    continue
            key = (field.alias or field.name).value
            if not requested and (not isinstance(data, dict) or key not in data):
                continue
            value = data.get(key) if isinstance(data, dict) else None
            total += self._field_cost(field, definition.type, value, requested)
        return total

    def _implementation_field(self, interface: Any, name: str) -> Any:
        if not isinstance(interface, GraphQLInterfaceType):
            return None
        for implementation in self.schema.get_implementations(interface).objects:
            if name in implementation.fields:
                return implementation.fields[name]
        return None

    def _field_cost(self, field: FieldNode, field_type: Any, value: Any, requested: bool) -> int:
        named = get_named_type(field_type)
        if is_leaf_type(named):
            return 0
        if named.name.endswith("Connection") and isinstance(named, GraphQLObjectType):
            return self._connection_cost(field, named, value, requested)
        unwrapped = field_type.of_type if is_non_null_type(field_type) else field_type
        if is_list_type(unwrapped):
            if requested:
                ids = self.arguments(field).get("ids")
                count = len(ids) if isinstance(ids, list) else 1
                return count * (1 + self._selection_cost(field.selection_set, named, None, True))
            items = [item for item in value or [] if item is not None]
            if "ids" in self.arguments(field):
                return sum(
                    1 + self._selection_cost(field.selection_set, named, item, False)
                    for item in items
                )
            # A plain list of objects (selectedOptions) is priced as one object, as requested,
            # so the actual cost never exceeds the requested one.
            if value is None:
                return 0
            return 1 + max(
                (self._selection_cost(field.selection_set, named, item, False) for item in items),
                default=0,
            )
        if not requested and value is None:
            return 0
        return 1 + self._selection_cost(field.selection_set, named, value, requested)

    def _connection_cost(
        self, field: FieldNode, connection: GraphQLObjectType, value: Any, requested: bool
    ) -> int:
        node_type = get_named_type(connection.fields["nodes"].type)
        node_selections = self._node_selections(field)

        def per_node(node: Any) -> int:
            return 1 + sum(
                self._selection_cost(selection, node_type, node, requested)
                for selection in node_selections
            )

        if requested:
            arguments = self.arguments(field)
            size = arguments.get("first") or arguments.get("last") or 0
            return 2 + int(size) * per_node(None) if node_selections else 2
        if not isinstance(value, dict):
            return 0
        nodes = value.get("nodes")
        if nodes is None and isinstance(value.get("edges"), list):
            nodes = [edge.get("node") for edge in value["edges"] if isinstance(edge, dict)]
        return 2 + sum(per_node(node) for node in nodes or [] if node is not None)

    def _node_selections(self, field: FieldNode) -> list[SelectionSetNode]:
        selections: list[SelectionSetNode] = []
        for child in self._fields(field.selection_set):
            if child.name.value == "nodes" and child.selection_set:
                selections.append(child.selection_set)
            elif child.name.value == "edges":
                for edge_field in self._fields(child.selection_set):
                    if edge_field.name.value == "node" and edge_field.selection_set:
                        selections.append(edge_field.selection_set)
        return selections


class LeakyBucket:
    """The cost bucket of one app on one shop.

    Args:
        size: Points the bucket holds when full.
        restore_rate: Points restored per second.
        now: The current time in seconds (the sandbox clock, so tests may advance it).
    """

    def __init__(self, size: int, restore_rate: float, now: Callable[[], float]) -> None:
        self.size = size
        self.restore_rate = restore_rate
        self._now = now
        self._available = float(size)
        self._updated = now()
        self._lock = threading.Lock()

    def _restore(self) -> None:
        moment = self._now()
        elapsed = max(0.0, moment - self._updated)
        self._available = min(float(self.size), self._available + elapsed * self.restore_rate)
        self._updated = moment

    def take(self, points: int) -> bool:
        """Charge points if the bucket holds them; False (and nothing charged) if not."""
        with self._lock:
            self._restore()
            if points > self._available:
                return False
            self._available -= points
            return True

    def refund(self, points: int) -> None:
        """Give back points charged but not used."""
        with self._lock:
            self._restore()
            self._available = min(float(self.size), self._available + max(0, points))

    def set_available(self, points: float) -> None:
        """Set the points available now (the admin API uses it to drain or fill the bucket)."""
        with self._lock:
            self._restore()
            self._available = max(0.0, min(float(self.size), points))

    def status(self) -> dict[str, Any]:
        """The `throttleStatus` Shopify reports."""
        with self._lock:
            self._restore()
            return {
                "maximumAvailable": float(self.size),
                "currentlyAvailable": int(self._available),
                "restoreRate": float(self.restore_rate),
            }
