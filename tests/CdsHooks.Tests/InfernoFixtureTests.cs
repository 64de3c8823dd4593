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
        if ((int)call.Status == 200)
        {
            Assert.Empty(call.SystemActions); // none of Inferno's orders is a policy 097 procedure
        }
        else
        {
            Assert.NotNull(call.Error);
        }
    }
}
