package io.streamback.operator.rbac;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * A request to the API server as RBAC sees it: verb, API group, resource (with subresource) and
 * namespace. Discovery and version requests are non-resource requests that every client may make.
 *
 * @param namespace the namespace, or null for a cluster-wide request
 */
record ApiRequest(String verb, String group, String resource, String namespace, String line) {

    static ApiRequest of(String method, URI uri) {
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        List<String> parts = Arrays.stream(uri.getPath().split("/")).filter(p -> !p.isEmpty()).toList();
        String line = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        List<String> rest;
        String group;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            rest = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = parts.subList(3, parts.size());
        } else {
            return new ApiRequest(null, null, null, null, line);
        }
        if (rest.isEmpty()) {
            return new ApiRequest(null, null, null, null, line);
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0) + (rest.size() >= 3 ? "/" + rest.get(2) : "");
        boolean named = rest.size() >= 2;
        String verb = switch (method) {
            case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase();
        };
        return new ApiRequest(verb, group, resource, namespace, line);
    }

    /** Version and discovery requests, which RBAC's built-in system:discovery role allows everyone. */
    boolean isNonResource() {
        return resource == null;
    }
}
