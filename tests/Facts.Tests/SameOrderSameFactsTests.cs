using CsCheck;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.Facts.Tests.Support;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirQuestionnaire.Evaluation;
using SpinePolicy.FhirQuestionnaire.Operations;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PriorAuthorization.Submission;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// CRD, DTR and PAS translate the same order into the same facts: generated orders (several
/// codings, odd quantities, dates with time zones, partial dates, periods) and members (full and
/// partial birth dates), each carried the way its standard carries it — a CRD draft ServiceRequest,
/// a DTR package order with the Patient in <c>referenced</c>, a DTR QuestionnaireResponse with the
/// order and the Patient contained, a PAS Claim item — give one service code, one number of units,
/// one date of service and one age on it, or are refused by all four.
/// </summary>
public sealed class SameOrderSameFactsTests : IClassFixture<SameOrderSameFactsTests.Server>
{
    private readonly Server _server;

    public SameOrderSameFactsTests(Server server) => _server = server;

    private static readonly Coding[] CodingPool =
    [
        new(Order.Cpt, "64628"), new(Order.Cpt, "64629"), new(Order.Cpt, "62323"), new(Order.Cpt, "64493"),
        new(Order.Cpt, "99213"), new(Order.Cpt, "72148"), new("http://snomed.info/sct", "397956004"),
    ];

    private static readonly decimal?[] Quantities = [null, 1m, 2m, 3m, 2.0m, 0m, -1m, 2.5m, 100000000000000000000m];

    private static readonly Gen<DataType?> Occurrence =
        Gen.Select(Gen.Int[0, 4], Gen.Int[0, 700], Gen.Int[0, 40]).Select(Pick);

    private static readonly Gen<string?> BirthDate =
        Gen.Select(Gen.Int[0, 3], Gen.Int[1950, 2008], Gen.Int[1, 12], Gen.Int[1, 28]).Select((kind, year, month, day) => kind switch
        {
            0 => null,
            1 => $"{year:D4}",
            2 => $"{year:D4}-{month:D2}",
            _ => $"{year:D4}-{month:D2}-{day:D2}",
        });

    private static readonly Gen<Order> Orders =
        Gen.Select(Gen.Int[0, CodingPool.Length - 1].Array[1, 3], Gen.OneOf(Quantities.Select(Gen.Const).ToArray()), Occurrence)
            .Select((codes, quantity, occurrence) => new Order("order-1", codes.Distinct().Select(i => (Coding)CodingPool[i].DeepCopy()).ToList(), quantity, occurrence));

    [Fact]
    public void SameOrder_ThroughCrdDtrAndPas_SameFactsOrRefusedByAll()
    {
        Gen.Select(Orders, BirthDate, Gen.OneOf(Gen.Const("MGB-COMMERCIAL"), Gen.Const("MGB-MEDICARE-ADVANTAGE"))).Sample((order, birthDate, plan) =>
        {
            var member = new Member(birthDate, plan);
            var seen = new[] { Crd(member, order), Package(member, order), Evaluation(member, order), Pas(member, order) };

            if (seen.All(s => s.Refused is not null))
            {
                return;
            }

            Assert.All(seen, s => Assert.True(s.Refused is null, $"{s.Slice} refused what another slice accepted: {s.Refused}"));
            var first = seen[0];
            foreach (var other in seen.Skip(1))
            {
                Assert.True(first.Service == other.Service, $"{first.Slice} read {first.Service}, {other.Slice} read {other.Service}");
                Assert.True(first.Age == other.Age, $"{first.Slice} read age {first.Age}, {other.Slice} read {other.Age}");
            }
        }, iter: 400, print: t => $"{Show(t.Item1)}, born {t.Item2 ?? "unknown"}, {t.Item3}");
    }

    private Seen Crd(Member member, Order order) => Attempt("CRD", () =>
    {
        // As a hook gets them: the order and the Patient as JSON, read without Firely's parser.
        using var source = System.Text.Json.JsonDocument.Parse(FhirJson.SerializeToUtf8Bytes(order.ServiceRequest(member.Id)));
        using var patient = System.Text.Json.JsonDocument.Parse(FhirJson.SerializeToUtf8Bytes(member.Patient()));
        var request = OrderJsonReader.ServiceRequest(source.RootElement).Resource;
        var facts = HookOrderFacts.Read(HookOrders.FromCodedOrders([new CodedOrder(request, $"ServiceRequest/{request.Id}", null, source.RootElement)], []), _server.Slices.Service<OrderFactsReader>());
        return (facts.Candidates.Values.SingleOrDefault(), PatientFacts.AgeOf(patient.RootElement));
    });

    private Seen Package(Member member, Order order) => Attempt("DTR package", () =>
    {
        var input = new Parameters();
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "coverage", Resource = member.Coverage() });
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "order", Resource = order.ServiceRequest(member.Id) });
        input.Parameter.Add(new Parameters.ParameterComponent { Name = "referenced", Resource = member.Patient() });
        // As the operation gets a JSON body: read straight from the JSON.
        using var json = System.Text.Json.JsonDocument.Parse(FhirJson.SerializeToUtf8Bytes(input));
        var facts = _server.Slices.Service<PackageFactsReader>().Read(PackageRequestReader.Read(json.RootElement));
        return (facts.Orders.SingleOrDefault(), facts.Age);
    });

    private Seen Evaluation(Member member, Order order) => Attempt("DTR evaluation", () =>
    {
        var form = new Form(_server.Slices.Policy, _server.Slices.Catalog, "bvna");
        var response = form.Build(member, [order], containPatient: true);
        var facts = _server.Slices.Service<CaseFactsReader>().Read(response, _server.Slices.Policy.Family("bvna"), []);
        return (facts.AllOrders.SingleOrDefault(), facts.Age);
    });

    private Seen Pas(Member member, Order order) => Attempt("PAS", () =>
    {
        var submission = _server.Slices.Service<PasRequestReader>().Read(PasBundle.For(member, [order]));
        return (submission.Lines.Single().Service, submission.Age);
    });

    private static Seen Attempt(string slice, Func<(OrderedService? Service, AgeFacts Age)> read)
    {
        try
        {
            var (service, age) = read();

            // The order id is each slice's own name for the order; the facts are the rest.
            var normalized = service is null ? null : service with { OrderId = "order" };
            return new Seen(slice, normalized, age.On(normalized?.DateOfService), null);
        }
        catch (Exception ex) when (ex is FhirHttpException)
        {
            return new Seen(slice, null, null, ex.Message);
        }
    }

    private static DataType? Pick(int kind, int day, int span)
    {
        var date = new DateOnly(2025, 6, 1).AddDays(day);
        var text = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return kind switch
        {
            0 => null,
            1 => new FhirDateTime(text),

            // Late evening west of UTC: the next day in UTC, the written day where it happens.
            2 => new FhirDateTime($"{text}T23:30:00-05:00"),
            3 => new FhirDateTime(text[..7]),
            _ => new Period(new FhirDateTime(text), new FhirDateTime(date.AddDays(span).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
        };
    }

    private static string Show(Order order) =>
        $"[{string.Join(", ", order.Codes.Select(c => c.Code))}] × {order.Quantity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} on {order.Occurrence switch { FhirDateTime d => d.Value, Period p => $"{p.Start}..{p.End}", _ => "no date" }}";

    private sealed record Seen(string Slice, OrderedService? Service, AgeRange? Age, string? Refused);

    /// <summary>The real server's services, so that every slice's translation is the one it runs with.</summary>
    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
