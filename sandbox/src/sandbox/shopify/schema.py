"""The Admin schema of each API version, built from the SDL shipped with the package.

Shopify answers per the version in the URL. A well-formed version older than the oldest one
still supported is served by the oldest supported version ("falls forward"), and the version
that answered is named in the `X-Shopify-API-Version` header. The quarter after the latest
stable version is the release candidate; `unstable` is served as the release candidate too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, build_schema

from sandbox.shopify.context import ApiVersion

_MARKER = re.compile(r"#\s*(since|until)\s+(\d{4}-\d{2})\s*$")
_HANDLE = re.compile(r"^\d{4}-(01|04|07|10)$")


def sdl_for(version: ApiVersion) -> str:
    """The SDL text of one API version: marked lines kept or dropped by version."""
    text = resources.files("sandbox.shopify").joinpath("admin_schema.graphql").read_text()
    lines = []
    for line in text.splitlines():
        marker = _MARKER.search(line)
        if marker is not None:
            kind, handle = marker.groups()
            present = version.at_least(handle) if kind == "since" else not version.at_least(handle)
            if not present:
                continue
            line = line[: marker.start()].rstrip()
        lines.append(line)
    return "\n".join(lines)


def next_quarter(version: ApiVersion) -> ApiVersion:
    """The version released three months after this one."""
    if version.month == 10:
        return ApiVersion(version.year + 1, 1)
    return ApiVersion(version.year, version.month + 3)


def serve_version(handle: str, oldest: str, latest: str) -> ApiVersion | None:
    """The version that answers a request for a handle, or None when there is no such version.

    Args:
        handle: The `{version}` in the URL.
        oldest: The oldest stable version the shop still supports.
        latest: The latest stable version.
    """
    release_candidate = next_quarter(ApiVersion.parse(latest))
    if handle == "unstable":
        return release_candidate
    if not _HANDLE.match(handle):
        return None
    version = ApiVersion.parse(handle)
    if version > release_candidate:
        return None
    return max(version, ApiVersion.parse(oldest))


class SchemaBook:
    """The executable schemas by API version, built once each and bound to the resolvers.

    Args:
        query_resolvers: Resolvers of `QueryRoot` fields by name.
        mutation_resolvers: Resolvers of `Mutation` fields by name.
    """

    def __init__(
        self,
        query_resolvers: dict[str, Callable[..., Any]],
        mutation_resolvers: dict[str, Callable[..., Any]],
    ) -> None:
        self._query_resolvers = query_resolvers
        self._mutation_resolvers = mutation_resolvers
        self.schema = functools.lru_cache(maxsize=16)(self._build)

    def _build(self, version: ApiVersion) -> GraphQLSchema:
        schema = build_schema(sdl_for(version))
        for root, resolvers in (
            (schema.query_type, self._query_resolvers),
            (schema.mutation_type, self._mutation_resolvers),
        ):
            if not isinstance(root, GraphQLObjectType):
                continue
            for name, resolver in resolvers.items():
                if name in root.fields:
                    root.fields[name].resolve = resolver
        return schema
