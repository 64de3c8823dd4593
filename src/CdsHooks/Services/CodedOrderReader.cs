using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Task = System.Threading.Tasks.Task;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// Reads the coded orders (ServiceRequests and DeviceRequests, <see cref="CodedOrder"/>) out of hook
/// context and prefetch, straight from their JSON: only the elements the facts use (<see cref="OrderJsonReader"/>). A defect in one of those fails the call
/// when the order names a CPT code the policy governs (P2), and is carried along otherwise; a defect
/// in the code or the subject fails it whatever the order (they say whether a policy governs it, and whose it is).
/// </summary>
internal sealed class CodedOrderReader(Policy policy)
{
    public Policy Policy => policy;

    /// <summary>The coded orders among <paramref name="resources"/>, tolerating defects in ones the policy does not govern.</summary>
    public List<CodedOrder> Read(IEnumerable<JsonElement> resources, string where)
    {
        var found = new List<CodedOrder>();
        var position = 0;
        foreach (var element in resources)
        {
            position++;
            var type = HookData.ResourceTypeOf(element);
            if (!CodedOrder.IsCodedOrderType(type))
            {
                continue;
            }

            CheckStatus(element, type!, where);
            var (order, firstDefect, identityDefect) = type == "ServiceRequest"
                ? Unpack(OrderJsonReader.ServiceRequest(element))
                : Unpack(OrderJsonReader.DeviceRequest(element));
            if (identityDefect is { } unreadable)
            {
                // Whatever the order seems to be: without its code (or its patient) nobody can tell
                // whether a policy governs it, and a payer must not answer "no authorization needed"
                // for an order it could not read.
                throw CdsRequestException.BadFhir("invalid-fhir", $"{ReferenceText.For(order, position)} in {where} is not valid FHIR R4: {unreadable.Message} The service cannot tell what is ordered or for whom, so it answers nothing.", unreadable.Path);
            }

            if (firstDefect is { } defect && RawGovernedCode(element, type!) is { } code)
            {
                throw CdsRequestException.BadFhir("invalid-fhir", $"The {type} for CPT {code} in {where} is not valid FHIR R4: {defect.Message}", defect.Path);
            }

            found.Add(new CodedOrder(order, ReferenceText.For(order, position), firstDefect, element));
        }

        return found;
    }

    private static (DomainResource Order, ElementDefect? First, ElementDefect? Identity) Unpack<T>(OrderJson<T> read) where T : DomainResource =>
        (read.Resource, read.FirstDefect, read.IdentityDefect);

    /// <summary>
    /// ServiceRequest.status is required (DeviceRequest.status optional), and both are bound to the
    /// request-status codes: a request breaking that is refused (422) whatever the order's code, since
    /// what an order asks depends on its status.
    /// </summary>
    private static void CheckStatus(JsonElement element, string type, string where)
    {
        if (!element.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
        {
            if (type == "DeviceRequest" && status.ValueKind == JsonValueKind.Undefined)
            {
                return;
            }

            throw CdsRequestException.BadFhir("invalid-status", $"A {type} in {where} has no status; FHIR R4 requires one (draft for an order being written).", $"{where}.status");
        }

        if (EnumUtility.ParseLiteral<RequestStatus>(status.GetString()!) is null)
        {
            throw CdsRequestException.BadFhir("invalid-status", $"A {type} in {where} has a status that is not a FHIR R4 request status (draft, active, on-hold, revoked, completed, entered-in-error, unknown).", $"{where}.status");
        }
    }

    /// <summary>References in a JSON array of strings ("ServiceRequest/1"), or one string.</summary>
    public static IReadOnlyList<string> References(JsonElement? value)
    {
        return value switch
        {
            { ValueKind: JsonValueKind.String } single => [single.GetString()!],
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
            _ => [],
        };
    }

    /// <summary>Resolves ServiceRequest and DeviceRequest references in parallel (prefetch, else the EHR).</summary>
    public async Task<(List<CodedOrder> Found, List<EhrFetch> Unresolved)> ResolveAsync(
        IEnumerable<string> references, HookData data, string where, CancellationToken cancellationToken)
    {
        var wanted = references.Where(r => CodedOrder.IsCodedOrderType(r.Split('/')[0])).Distinct(StringComparer.Ordinal).ToList();
        var fetches = await Task.WhenAll(wanted.Select(reference => data.ReadReferenceAsync(reference, cancellationToken)));
        var found = new List<CodedOrder>();
        var unresolved = new List<EhrFetch>();
        for (var i = 0; i < wanted.Count; i++)
        {
            if (fetches[i].Status != EhrFetchStatus.Found)
            {
                unresolved.Add(fetches[i] with { Problem = $"{fetches[i].Problem} ({wanted[i]})" });
                continue;
            }

            foreach (var order in Read(fetches[i].Resources, where))
            {
                found.Add(order with { Reference = wanted[i] });
            }
        }

        return (found, unresolved);
    }

    private string? RawGovernedCode(JsonElement element, string type)
    {
        if (!element.TryGetProperty(type == "DeviceRequest" ? "codeCodeableConcept" : "code", out var code) || code.ValueKind != JsonValueKind.Object
            || !code.TryGetProperty("coding", out var codings) || codings.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var coding in codings.EnumerateArray())
        {
            if (coding.ValueKind == JsonValueKind.Object
                && coding.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.String && system.GetString() == policy.Document.CptSystem
                && coding.TryGetProperty("code", out var value) && value.ValueKind == JsonValueKind.String && policy.Governs(value.GetString()!))
            {
                return value.GetString();
            }
        }

        return null;
    }
}
