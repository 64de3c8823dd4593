using System.Globalization;
using System.Net;
using SpinePolicy.Facts.Tests.Support;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// The same case through the real endpoints of CRD (order-sign), DTR ($next-question,
/// $questionnaire-package) and PAS ($submit) gets the same answer: the facts the three read from it
/// are one translation (src/Fhir/Facts).
/// </summary>
public sealed class SameAnswerEndToEndTests : IClassFixture<SameAnswerEndToEndTests.Server>
{
    private readonly ThreeSlices _slices;

    public SameAnswerEndToEndTests(Server server) => _slices = server.Slices;

    /// <summary>A date of service a month ahead: under the current policy version, never in the past.</summary>
    private static string DateOfService => DateTime.UtcNow.Date.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    [Trait("Clause", "P2")]
    public async System.Threading.Tasks.Task CodedService_EvaluationAndManagementBesideBvna_IsTheBvnaInCrdDtrAndPas()
    {
        var member = new Member("1970-05-04");
        var order = new Order("bvna", [new(Order.Cpt, "99213"), new(Order.Cpt, "64628")], 1, new Hl7.Fhir.Model.FhirDateTime(DateOfService));

        var (crdStatus, crd) = await _slices.OrderSignAsync(member, order);
        Assert.Equal(HttpStatusCode.OK, crdStatus);
        var information = Assert.Single(Answers.CoverageInformation(crd));
        Assert.Equal("64628", information["billingCode"]);
        Assert.Equal("auth-needed", information["pa-needed"]);

        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);
        var (dtrStatus, dtr) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        Assert.Equal(HttpStatusCode.OK, dtrStatus);
        Assert.Equal("covered", Answers.CoverageInformation(dtr)["covered"]);

        var (pasStatus, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        Assert.Equal(HttpStatusCode.OK, pasStatus);
        Assert.Equal(["A1"], Answers.Actions(pas));
        Assert.DoesNotContain("not governed", Answers.Notes(pas), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P2")]
    public async System.Threading.Tasks.Task Quantity_1e20_IsAClientErrorInCrdDtrAndPas()
    {
        var member = new Member("1970-05-04");
        var order = Order.On("bvna", "64628", DateOfService, 100000000000000000000m);

        var (crdStatus, crd) = await _slices.OrderSignAsync(member, order);
        Answers.IsClientError(crdStatus, "CRD order-sign");
        Assert.Contains("quantity", crd.GetProperty("message").GetString(), StringComparison.Ordinal);

        var (packageStatus, package) = await _slices.PackageAsync(member, [order]);
        Answers.IsClientError(packageStatus, "DTR $questionnaire-package");
        Assert.IsType<Hl7.Fhir.Model.OperationOutcome>(package);

        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);
        var (dtrStatus, _) = await _slices.NextQuestionAsync(form.Build(member, [order]));
        Answers.IsClientError(dtrStatus, "DTR $next-question");

        var (pasStatus, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        Answers.IsClientError(pasStatus, "PAS $submit");
        Assert.Contains("quantity", Assert.IsType<Hl7.Fhir.Model.OperationOutcome>(pas).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    /// <summary>
    /// CRD 2.0.1 lets an EHR order as a DeviceRequest what another writes as a ServiceRequest. DTR
    /// and PAS always decided a DeviceRequest by its code; CRD treated one as an order no policy
    /// governs and answered the payer's default. Now the hook reads it as DTR does: the same CPT
    /// code is the same answer, and the package serves the questionnaire the card names.
    /// </summary>
    [Theory]
    [Trait("Clause", "P2")]
    [InlineData("64628")]
    [InlineData("62323")]
    public async System.Threading.Tasks.Task DeviceRequest_ForAGovernedCode_IsAnsweredAsTheSameServiceRequestInCrdAndDtr(string cpt)
    {
        var member = new Member("1970-05-04");
        var order = Order.On("order-1", cpt, DateOfService);

        var (serviceStatus, asService) = await _slices.OrderSignAsync(member, order);
        var (deviceStatus, asDevice) = await _slices.OrderSignAsync(member, [order.DeviceRequest(member.Id)]);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], [serviceStatus, deviceStatus]);
        var expected = Assert.Single(Answers.CoverageInformation(asService));
        var actual = Assert.Single(Answers.CoverageInformation(asDevice));
        Assert.Equal("auth-needed", actual["pa-needed"]);
        foreach (var key in new[] { "covered", "pa-needed", "doc-needed", "billingCode", "questionnaire" })
        {
            Assert.Equal(expected.GetValueOrDefault(key), actual.GetValueOrDefault(key));
        }

        var update = asDevice.GetProperty("systemActions").EnumerateArray().Single();
        Assert.Equal("DeviceRequest", update.GetProperty("resource").GetProperty("resourceType").GetString());

        var (packageStatus, package) = await _slices.PackageAsync(member, [order.DeviceRequest(member.Id)]);
        Assert.Equal(HttpStatusCode.OK, packageStatus);
        var served = Assert.IsType<Hl7.Fhir.Model.Parameters>(package).Parameter.Select(p => p.Resource).OfType<Hl7.Fhir.Model.Bundle>()
            .SelectMany(b => b.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.Questionnaire>()).Select(q => $"{q.Url}|{q.Version}");
        Assert.Equal([actual["questionnaire"]], served);
    }

    /// <summary>A DeviceRequest for another patient contradicts the hook's context, as a ServiceRequest does.</summary>
    [Fact]
    [Trait("Clause", "P2")]
    public async System.Threading.Tasks.Task DeviceRequest_ForAnotherPatient_IsAPatientMismatch()
    {
        var member = new Member("1970-05-04");
        var order = Order.On("order-1", "64628", DateOfService).DeviceRequest("someone-else");

        var (status, body) = await _slices.OrderSignAsync(member, [order]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("DeviceRequest/order-1 is for Patient/someone-else", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A plan this payer does not map to a product line (a self-funded group, say): CRD answers
    /// conditional, DTR's package cannot choose a questionnaire and PAS pends, and each says which
    /// plan it did not recognise or that the Coverage names none, never "product line ''".
    /// </summary>
    [Fact]
    [Trait("Clause", "P3")]
    public async System.Threading.Tasks.Task UnknownPlan_IsNamedInCrdDtrAndPas_NeverAnEmptyProductLine()
    {
        var member = new Member("1970-05-04", Plan: "ASO-SELF-FUNDED");
        var order = Order.On("bvna", "64628", DateOfService);

        var (crdStatus, crd) = await _slices.OrderSignAsync(member, order);
        Assert.Equal(HttpStatusCode.OK, crdStatus);
        var information = Assert.Single(Answers.CoverageInformation(crd));
        Assert.Equal("conditional", information["covered"]);

        var (packageStatus, package) = await _slices.PackageAsync(member, [order]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, packageStatus);
        Assert.Contains("plan 'ASO-SELF-FUNDED' names no product line", Assert.IsType<Hl7.Fhir.Model.OperationOutcome>(package).Issue[0].Diagnostics, StringComparison.Ordinal);

        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);
        var (pasStatus, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        Assert.Equal(HttpStatusCode.OK, pasStatus);
        Assert.Equal(["A4"], Answers.Actions(pas));
        Assert.Contains("names no product line this policy covers", Answers.Notes(pas), StringComparison.Ordinal);
        Assert.DoesNotContain("''", Answers.Notes(pas) + string.Join(" ", Answers.CardDetails(crd)), StringComparison.Ordinal);
    }

    /// <summary>
    /// A governed CPT code with a modifier glued on is no CPT code; read as one the policy does not
    /// govern it was answered "no prior authorization needed" in CRD. All three slices now refuse it
    /// and say where the modifier goes.
    /// </summary>
    [Theory]
    [Trait("Clause", "P2")]
    [InlineData("64483-50")]
    [InlineData("64628RT")]
    public async System.Threading.Tasks.Task GovernedCodeWithAModifierInIt_IsAClientErrorInCrdDtrAndPas(string code)
    {
        var member = new Member("1970-05-04");
        var order = Order.On("order-1", code, DateOfService);

        var (crdStatus, crd) = await _slices.OrderSignAsync(member, order);
        Answers.IsClientError(crdStatus, "CRD order-sign");
        Assert.Contains("modifier", crd.GetProperty("message").GetString(), StringComparison.Ordinal);

        var (packageStatus, package) = await _slices.PackageAsync(member, [order]);
        Answers.IsClientError(packageStatus, "DTR $questionnaire-package");
        Assert.Contains("modifier", Assert.IsType<Hl7.Fhir.Model.OperationOutcome>(package).Issue[0].Diagnostics, StringComparison.Ordinal);

        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);
        var (pasStatus, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        Answers.IsClientError(pasStatus, "PAS $submit");
        Assert.Contains("modifier", Assert.IsType<Hl7.Fhir.Model.OperationOutcome>(pas).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
