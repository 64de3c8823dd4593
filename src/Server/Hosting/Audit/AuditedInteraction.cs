namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>
/// What a request does, read from its method and path: the FHIR interaction (or CDS Hooks
/// service call), the resource type and id it addresses, and the operation name. Null for requests
/// that touch no member data (health, discovery, the CapabilityStatement).
/// </summary>
internal sealed record AuditedInteraction(string Interaction, string Action, string? ResourceType, string? ResourceId, string? Operation)
{
    /// <summary>FHIR restful-interaction codes, and "hook" for a CDS Hooks service call.</summary>
    public const string Hook = "hook";

    public bool IsRead => Action == "R";

    public static AuditedInteraction? Of(HttpRequest request)
    {
        var segments = (request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return null;
        }

        var method = request.Method;
        if (segments[0].Equals("cds-services", StringComparison.OrdinalIgnoreCase))
        {
            // GET /cds-services is discovery; POST /cds-services/{id} decides about an order.
            return segments.Length >= 2 && HttpMethods.IsPost(method)
                ? new AuditedInteraction(Hook, "E", null, null, string.Join('/', segments.Skip(1)))
                : null;
        }

        if (segments[0].Equals("review", StringComparison.OrdinalIgnoreCase))
        {
            return ReviewPage(segments, method);
        }

        if (!segments[0].Equals("fhir", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = segments.AsSpan(1);
        if (rest.Length == 0)
        {
            return HttpMethods.IsPost(method) ? new AuditedInteraction("batch", "E", null, null, null) : null;
        }

        if (rest[0] is "metadata" or ".well-known")
        {
            return null;
        }

        if (rest[0].StartsWith('$'))
        {
            return new AuditedInteraction("operation", "E", null, null, rest[0]);
        }

        var type = rest[0];
        var last = rest[^1];
        if (last.StartsWith('$'))
        {
            return new AuditedInteraction("operation", "E", type, rest.Length > 2 ? rest[1] : null, last);
        }

        return rest.Length switch
        {
            1 when HttpMethods.IsGet(method) => new AuditedInteraction("search-type", "R", type, null, null),
            1 when HttpMethods.IsPost(method) => new AuditedInteraction("create", "C", type, null, null),
            2 when rest[1] == "_search" => new AuditedInteraction("search-type", "R", type, null, null),
            2 when HttpMethods.IsGet(method) => new AuditedInteraction("read", "R", type, rest[1], null),
            2 when HttpMethods.IsPut(method) => new AuditedInteraction("update", "U", type, rest[1], null),
            2 when HttpMethods.IsDelete(method) => new AuditedInteraction("delete", "D", type, rest[1], null),
            4 when rest[2] == "_history" => new AuditedInteraction("vread", "R", type, rest[1], null),
            3 when rest[2] == "_history" => new AuditedInteraction("history-instance", "R", type, rest[1], null),
            _ => new AuditedInteraction(method.ToLowerInvariant(), HttpMethods.IsGet(method) ? "R" : "E", type, rest.Length > 1 ? rest[1] : null, null),
        };
    }

    /// <summary>
    /// The reviewer queue's pages read and decide ClaimResponses like the API does: the queue is a
    /// search, a case page a read, a decision the $review operation. Sign-in, assets and the
    /// account pages touch no member data.
    /// </summary>
    private static AuditedInteraction? ReviewPage(string[] segments, string method) => segments switch
    {
        [_] when HttpMethods.IsGet(method) => new AuditedInteraction("search-type", "R", "ClaimResponse", null, null),
        [_, "cases", var id] when HttpMethods.IsGet(method) => new AuditedInteraction("read", "R", "ClaimResponse", id, null),
        [_, "cases", var id] when HttpMethods.IsPost(method) => new AuditedInteraction("operation", "E", "ClaimResponse", id, "$review"),
        _ => null,
    };
}
