using System.Text.Json;
using System.Text.Json.Nodes;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// The Inferno CRD test kit's hook requests (with their real defects: a broken Appointment.end, an
/// R5-only Appointment.reason, a MedicationRequest doseAndRate that is not an array, a NutritionOrder
/// without intent) are answered without a 5xx.
/// </summary>
public sealed class InfernoFixtureTests(CrdApp app) : IClassFixture<CrdApp>
{
    public static TheoryData<string, string> Fixtures() => new()
    {
        { "order_sign_hook_request.json", "order-sign-crd" },
        { "order_select_hook_request.json", "order-select-crd" },
        { "order_dispatch_hook_request.json", "order-dispatch-crd" },
        { "appointment_book_hook_request.json", "appointment-book-crd" },
        { "encounter_start_hook_request.json", "encounter-start-crd" },
        { "encounter_discharge_hook_request.json", "encounter-discharge-crd" },
        { "fancy_structure_hook_request.json", "order-sign-crd" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task InfernoHookRequest_Posted_IsAnsweredWithoutServerError(string fixture, string serviceId)
    {
        var body = JsonNode.Parse(RepositoryPaths.ReadInferno(Path.Combine("crd", fixture)))!;

        // The fixtures name https://example/r4, which does not exist: the service must still answer.
        var call = await app.CallAsync(serviceId, body);

        Assert.True((int)call.Status < 500, call.ToString());
        if ((int)call.Status != 200)
        {
            Assert.NotNull(call.Error);
            return;
        }

        // What the test kit checks of an answer: a primary hook annotates every order it was given
        // (none of Inferno's is a policy 097 procedure, so the payer's default answers them), each
        // resource under one coverage-assertion-id; a supporting hook asks for no documentation.
        var annotated = call.SystemActions.ToDictionary(
            a => $"{a.GetProperty("resource").GetProperty("resourceType").GetString()}/{a.GetProperty("resource").GetProperty("id").GetString()}",
            a => CoverageInformationOf(a.GetProperty("resource")));
        if (serviceId is "order-sign-crd" or "appointment-book-crd")
        {
            Assert.Equal(OrdersIn(body).Order(), annotated.Keys.Order());
        }

        var supporting = serviceId is "order-select-crd" or "encounter-start-crd" or "encounter-discharge-crd";
        Assert.All(annotated.Values, repetitions =>
        {
            Assert.NotEmpty(repetitions);
            Assert.Single(repetitions.Select(r => r["coverage-assertion-id"]).Distinct());
            Assert.All(repetitions, r => Assert.False(supporting && r.ContainsKey("doc-needed")));
        });
    }

    /// <summary>The resources of the fixture's draftOrders or appointments, as "Type/id".</summary>
    private static IEnumerable<string> OrdersIn(JsonNode body)
    {
        var bundle = body["context"]!["draftOrders"] ?? body["context"]!["appointments"];
        return bundle!["entry"]!.AsArray().Select(e => $"{e!["resource"]!["resourceType"]}/{e["resource"]!["id"]}");
    }

    /// <summary>Each ext-coverage-information of a returned resource, its sub-extensions by url (values as raw JSON).</summary>
    private static List<Dictionary<string, string>> CoverageInformationOf(JsonElement resource) =>
        resource.GetProperty("extension").EnumerateArray()
            .Where(e => e.GetProperty("url").GetString() == CoverageInfo.Url)
            .Select(e => e.GetProperty("extension").EnumerateArray()
                .GroupBy(x => x.GetProperty("url").GetString()!)
                .ToDictionary(g => g.Key, g => g.First().GetRawText()))
            .ToList();
}
