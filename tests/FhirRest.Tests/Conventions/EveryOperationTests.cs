using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>
/// _format, Accept and XML bodies on every operation that answers 200, one theory over all of
/// them (<see cref="EveryOperation"/>): JSON in, each format out; XML in, JSON out.
/// </summary>
public abstract partial class FhirConventionsSuite
{
    /// <summary>An operation call ready to send: who sends it, where, and the body (null for a GET).</summary>
    protected sealed record ArrangedOperation(HttpClient Client, HttpMethod Method, string Relative, Resource? Body) : IDisposable
    {
        public HttpRequestMessage Request(string? query, bool xmlBody)
        {
            var request = new HttpRequestMessage(Method, FhirHttp.Fhir(Relative + (query is null ? "" : (Relative.Contains('?') ? "&" : "?") + query)));
            if (Body is not null)
            {
                request.Content = xmlBody ? Xml(Body) : FhirHttp.Json(Body);
            }

            return request;
        }

        public void Dispose() => Client.Dispose();
    }

    public static TheoryData<string> EveryOperation => new()
    {
        "Questionnaire/$questionnaire-package",
        "Questionnaire/$next-question",
        "Claim/$submit",
        "Claim/$inquire",
        "ClaimResponse/{id}/$review",
        "GET ValueSet/$expand",
        "POST ValueSet/$expand",
        "ValueSet/{id}/$expand",
        "Questionnaire/$log-questionnaire-errors",
        "QuestionnaireResponse/$log-questionnaire-errors",
        "Patient/$member-match",
        "Subscription/{id}/$status",
        "metadata",
    };

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Every_Operation_EveryFormatValueAndAcceptAnswersThatFormat(string operation)
    {
        foreach (var (value, mediaType) in FormatValues)
        {
            using (var byParameter = await ArrangeOperationAsync(operation))
            {
                using var request = byParameter.Request("_format=" + Uri.EscapeDataString(value), xmlBody: false);
                using var response = await byParameter.Client.SendAsync(request);
                await AssertAnsweredInAsync(response, mediaType, $"{operation} _format={value}");
            }

            using (var byAccept = await ArrangeOperationAsync(operation))
            {
                using var request = byAccept.Request(null, xmlBody: false);
                request.Headers.TryAddWithoutValidation("Accept", value.Contains('/') ? value : mediaType);
                using var response = await byAccept.Client.SendAsync(request);
                await AssertAnsweredInAsync(response, mediaType, $"{operation} Accept {value}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Every_Operation_XmlBodyIsReadAndJsonAnswered(string operation)
    {
        using var call = await ArrangeOperationAsync(operation);
        if (call.Body is null)
        {
            return;
        }

        using var request = call.Request(null, xmlBody: true);
        using var response = await call.Client.SendAsync(request);

        await AssertAnsweredInAsync(response, "application/fhir+json", $"{operation} with an XML body");
    }

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Every_Operation_UnacceptableFormatIs406BeforeAnyWork(string operation)
    {
        foreach (var (query, accept) in new[] { ("_format=bogus", (string?)null), ("_format=text/turtle", null), (null, "text/csv") })
        {
            using var call = await ArrangeOperationAsync(operation);
            using var request = call.Request(query, xmlBody: false);
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            using var response = await call.Client.SendAsync(request);

            await RefusalAsync(response, HttpStatusCode.NotAcceptable);
        }
    }

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Every_Operation_NotFhirBodyIs415(string operation)
    {
        using var call = await ArrangeOperationAsync(operation);
        if (call.Body is null)
        {
            return;
        }

        using var request = call.Request(null, xmlBody: false);
        request.Content = Raw("a=b", "text/plain");
        using var response = await call.Client.SendAsync(request);

        await RefusalAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [MemberData(nameof(EveryOperation))]
    public async Task Every_Operation_SubsetsAnswerOrRefuseAsOnReads(string operation)
    {
        // _summary=count is for searches; the other subsets shape an operation's answer as they shape a read.
        using (var count = await ArrangeOperationAsync(operation))
        {
            using var request = count.Request("_summary=count", xmlBody: false);
            using var response = await count.Client.SendAsync(request);
            await RefusalAsync(response, HttpStatusCode.BadRequest);
        }

        using var elements = await ArrangeOperationAsync(operation);
        using var subset = elements.Request("_elements=id", xmlBody: false);
        using var answer = await elements.Client.SendAsync(subset);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, $"{operation} _elements=id: {(int)answer.StatusCode} {body}");
        var resource = FhirHttp.ParseAny<Resource>(body, "application/fhir+json");

        // A searchset answer ($status) is subset entry by entry, as a search is.
        var subsetted = resource is Bundle { Type: Bundle.BundleType.Searchset } bundle ? bundle.Entry.Select(e => e.Resource!) : [resource];
        Assert.All(subsetted, r => Assert.Contains(r.Meta?.Tag ?? [], t => t.Code == "SUBSETTED"));
    }

    [Fact]
    public async Task Every_Operation_ExpandTakesACanonicalWithVersion()
    {
        using var client = Client();

        using var exact = await client.GetAsync(FhirHttp.Fhir($"ValueSet/$expand?url={Uri.EscapeDataString(VertebralLevelUrl + "|2026.01.0")}"));
        using var other = await client.GetAsync(FhirHttp.Fhir($"ValueSet/$expand?url={Uri.EscapeDataString(VertebralLevelUrl + "|1999.01.0")}"));

        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.NotEmpty((await FhirHttp.ReadAsync<ValueSet>(exact)).Expansion!.Contains);
        await RefusalAsync(other, HttpStatusCode.NotFound);
    }

    private static async Task AssertAnsweredInAsync(HttpResponseMessage response, string mediaType, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
        Assert.True(mediaType == response.Content.Headers.ContentType?.MediaType, $"{what}: {response.Content.Headers.ContentType}");
        FhirHttp.ParseAny<Resource>(body, mediaType);
    }

    /// <summary>A fresh call of the operation (a new submission, a new member to match…), so that repeats never collide.</summary>
    protected async Task<ArrangedOperation> ArrangeOperationAsync(string operation)
    {
        switch (operation)
        {
            case "Questionnaire/$questionnaire-package":
                return new(Client(), HttpMethod.Post, operation, PackageRequest());
            case "Questionnaire/$next-question":
                return new(Client(), HttpMethod.Post, operation, await AdaptiveDraftAsync());
            case "Claim/$submit":
                return new(App.CreateFhirClient(), HttpMethod.Post, operation, PasRequest("pas/conformant_pas_bundle_v110.json", Guid.NewGuid().ToString("N")));
            case "Claim/$inquire":
            {
                var unique = Guid.NewGuid().ToString("N");
                var provider = App.CreateFhirClient();
                using var submitted = await provider.PostAsync(FhirHttp.Fhir("Claim/$submit"), FhirHttp.Json(PasRequest("pas/conformant_pas_bundle_v110.json", unique)));
                Assert.True(submitted.StatusCode == HttpStatusCode.OK, await submitted.Content.ReadAsStringAsync());
                return new(provider, HttpMethod.Post, operation, PasRequest("pas/conformant_pas_inquire_bundle_v110.json", unique));
            }

            case "ClaimResponse/{id}/$review":
            {
                // A BVNA request sent without its questionnaire pends for a reviewer (P6), who
                // certifies it: each call reviews a fresh one, since a decided item is final.
                var bvna = PasRequest("pas/conformant_pas_bundle_v110.json", Guid.NewGuid().ToString("N"));
                bvna.Entry.Select(e => e.Resource).OfType<Claim>().Single().Item[0].ProductOrService = new CodeableConcept("http://www.ama-assn.org/go/cpt", "64628");
                using var provider = App.CreateFhirClient();
                using var submitted = await provider.PostAsync(FhirHttp.Fhir("Claim/$submit"), FhirHttp.Json(bvna));
                var pended = (await FhirHttp.ReadAsync<Bundle>(submitted)).Entry.Select(e => e.Resource).OfType<ClaimResponse>().Single();
                var item = new Parameters();
                item.Add("item", [Tuple.Create("sequence", (Base)new Integer(1)), Tuple.Create("action", (Base)new Code("A1")), Tuple.Create("note", (Base)new FhirString("Consultation approved on review."))]);
                return new(App.CreateFhirClientAs(TestClients.ReviewerClientId, TestTokens.FhirIssuer, "system/ClaimResponse.write"), HttpMethod.Post, $"ClaimResponse/{pended.Id}/$review", item);
            }

            case "GET ValueSet/$expand":
                return new(Client(), HttpMethod.Get, $"ValueSet/$expand?url={Uri.EscapeDataString(VertebralLevelUrl)}", null);
            case "POST ValueSet/$expand":
            {
                var parameters = new Parameters();
                parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "url", Value = new FhirUri(VertebralLevelUrl) });
                return new(Client(), HttpMethod.Post, "ValueSet/$expand", parameters);
            }

            case "ValueSet/{id}/$expand":
                return new(Client(), HttpMethod.Get, "ValueSet/vertebral-level/$expand", null);
            case "Questionnaire/$log-questionnaire-errors":
                return new(Client(), HttpMethod.Post, operation, QuestionnaireErrors());
            case "QuestionnaireResponse/$log-questionnaire-errors":
            {
                // The deprecated alias, with its own parameter name.
                var parameters = new Parameters();
                parameters.Parameter.Add(new Parameters.ParameterComponent
                {
                    Name = "errors",
                    Resource = OperationOutcomes.Error(OperationOutcome.IssueType.Processing, "initialExpression failed for item bvna-bmi"),
                });
                return new(Client(), HttpMethod.Post, operation, parameters);
            }

            case "Patient/$member-match":
            {
                using var admin = Client();
                var memberId = FhirData.Unique("M");
                var patient = await FhirHttp.CreateAsync(admin, FhirData.Patient("Match", "Max", "1955-05-05", memberId: memberId));
                await FhirHttp.CreateAsync(admin, FhirData.Coverage(patient.Id!, memberId));
                return new(FhirHttp.Partner(App, FhirData.Unique("payer")), HttpMethod.Post, operation,
                    FhirData.MemberMatch(FhirData.Patient("Match", "Max", "1955-05-05"), FhirData.CardCoverage(memberId), FhirData.CurrentConsent()));
            }

            case "Subscription/{id}/$status":
            {
                var provider = App.CreateFhirClient();
                var created = await FhirHttp.CreateAsync(provider, NewSubscription());
                return new(provider, HttpMethod.Get, $"Subscription/{created.Id}/$status", null);
            }

            case "metadata":
                return new(Client(), HttpMethod.Get, "metadata", null);
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "No arrangement for this operation: add one.");
        }
    }

    /// <summary>The draft response of the adaptive BVNA form, as $questionnaire-package hands it out for $next-question to continue.</summary>
    private async Task<QuestionnaireResponse> AdaptiveDraftAsync()
    {
        var request = PackageRequest();
        request.Parameter.Add(new Parameters.ParameterComponent { Name = "questionnaire", Value = new Canonical(BvnaUrl + "-adaptive") });
        using var client = Client();
        using var response = await client.PostAsync(FhirHttp.Fhir("Questionnaire/$questionnaire-package"), FhirHttp.Json(request));
        var package = await FhirHttp.ReadAsync<Parameters>(response);
        var adaptive = package.Parameter.Where(p => p.Name == "PackageBundle").Select(p => (Bundle)p.Resource!)
            .Single(b => b.Entry[0].Resource is Questionnaire q && q.Url == BvnaUrl + "-adaptive");
        return adaptive.Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>().Single();
    }

    /// <summary>An Inferno PAS fixture with its own member and claim identifiers, as a new request would have.</summary>
    private static Bundle PasRequest(string fixture, string unique) =>
        FhirJson.Parse<Bundle>(RepositoryPaths.ReadInferno(fixture)
            .Replace("\"A12345\"", $"\"A-{unique}\"", StringComparison.Ordinal)
            .Replace("\"111099\"", $"\"T-{unique}\"", StringComparison.Ordinal));
}
