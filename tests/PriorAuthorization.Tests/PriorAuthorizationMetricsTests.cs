using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.PriorAuthorization.Metrics;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// The CMS-0057-F public report from a known year of requests, sent and decided through the real
/// endpoints on a controlled clock, on both stores: every figure is checked exactly against what the
/// year's requests make it (see docs/cms-0057-f.md for the definitions).
/// </summary>
public sealed class PriorAuthorizationMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Report_KnownYear_EveryFigureExact(string provider)
    {
        using var year = await KnownYear.BuildAsync(provider);

        var report = await year.ReportAsync("/metrics/prior-authorization.json?year=2025");

        Assert.Equal(new DateOnly(2025, 1, 1), report.From);
        Assert.Equal(new DateOnly(2025, 12, 31), report.To);
        var all = report.All;
        Assert.Equal((10, 1, 1, 1), (all.RequestsReceived, all.Pending, all.Withdrawn, all.NotRequiringAuthorization));
        Assert.Equal(new UrgencyFigures(6, 3, 1, 2, 66.67m, 33.33m, 1, 16.67m, 1, 80.00m, 24.00m), all.Standard);
        Assert.Equal(new UrgencyFigures(2, 1, 0, 1, 50.00m, 50.00m, 0, 0.00m, 1, 60.00m, 60.00m), all.Expedited);
        Assert.Equal(new ExtensionFigures(8, 1, 12.50m, 1, 12.50m), all.TimeframeExtended);
        Assert.Equal(new AppealFigures(1, 0, 1, 1, 100.00m), all.Appeals);

        Assert.Equal(2, report.Programs.Count);
        var advantage = report.Programs[0];
        Assert.Equal(("Medicare Advantage", "H1234"), (advantage.Program, advantage.Contract));
        Assert.Equal(["medicare-advantage"], advantage.ProductLines);
        Assert.Equal((2, 0, 0, 1), (advantage.Figures.RequestsReceived, advantage.Figures.Pending, advantage.Figures.Withdrawn, advantage.Figures.NotRequiringAuthorization));
        Assert.Equal(new UrgencyFigures(0, 0, 0, 0, null, null, 0, null, 0, null, null), advantage.Figures.Standard);
        Assert.Equal(all.Expedited, advantage.Figures.Expedited);
        Assert.Equal(new ExtensionFigures(2, 0, 0.00m, 0, 0.00m), advantage.Figures.TimeframeExtended);
        Assert.Equal(new AppealFigures(0, 0, 0, 0, null), advantage.Figures.Appeals);

        var commercial = report.Programs[1];
        Assert.Equal(("Not subject to CMS-0057-F", (string?)null), (commercial.Program, commercial.Contract));
        Assert.Equal((8, 1, 1, 0), (commercial.Figures.RequestsReceived, commercial.Figures.Pending, commercial.Figures.Withdrawn, commercial.Figures.NotRequiringAuthorization));
        Assert.Equal(all.Standard, commercial.Figures.Standard);
        Assert.Equal(new ExtensionFigures(6, 1, 16.67m, 1, 16.67m), commercial.Figures.TimeframeExtended);
        Assert.Equal(all.Appeals, commercial.Figures.Appeals);

        // What needs prior authorization comes from the policy versions in force in the year, per
        // line: in 2025 the versions whose tables are not on file (P13: every request reviewed)...
        Assert.Equal(["2025.08.0", "2025.10.0"], report.ItemsRequiringPriorAuthorization.Select(l => l.PolicyVersion).Distinct());
        var advantage2025 = Assert.Single(report.ItemsRequiringPriorAuthorization, l => l.ProductLine == "medicare-advantage" && l.PolicyVersion == "2025.10.0");
        Assert.All(advantage2025.Services, s => Assert.True(s.RequirementNotOnFile));

        // ...and in 2026 the current table: Medicare Advantage needs it for BVNA only.
        var next = await year.ReportAsync("/metrics/prior-authorization.json?year=2026");
        var advantage2026 = Assert.Single(next.ItemsRequiringPriorAuthorization, l => l.ProductLine == "medicare-advantage");
        Assert.Equal(("2026.01.0", "Medicare Advantage"), (advantage2026.PolicyVersion, advantage2026.Program));
        Assert.Equal(["64628", "64629"], advantage2026.Services.Select(s => s.Code));
        Assert.All(advantage2026.Services, s => Assert.False(s.RequirementNotOnFile));
        Assert.Equal(1, next.All.RequestsReceived);
    }

    [Fact]
    public async Task Report_ARange_CountsOnlyRequestsReceivedInIt()
    {
        using var year = await KnownYear.BuildAsync("Sqlite");

        // 2025-03-03 to 2025-03-31: R1 (approved at once), R2 (denied, appealed), R3 (reviewed after
        // 48 h), R4 (extended; decided after ten days, in April, still counted by receipt).
        var report = await year.ReportAsync("/metrics/prior-authorization.json?from=2025-03-03&to=2025-03-31");

        Assert.Equal(4, report.All.RequestsReceived);
        Assert.Equal(new UrgencyFigures(4, 3, 0, 1, 75.00m, 25.00m, 1, 25.00m, 0, 72.00m, 24.00m), report.All.Standard);
        Assert.Equal(1, report.All.Appeals.Received);
    }

    [Fact]
    public async Task Report_AskedAgain_ServedFromTheSameComputationUntilADecisionIsWritten()
    {
        using var year = await KnownYear.BuildAsync("Sqlite");
        year.Clock.Now = new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);
        var first = await year.ReportAsync("/metrics/prior-authorization.json?year=2026");
        year.Clock.Now = year.Clock.Now.AddSeconds(30);

        var again = await year.ReportAsync("/metrics/prior-authorization.json?year=2026");
        Assert.Equal(first.GeneratedAt, again.GeneratedAt);

        // A new decision is in the very next report.
        year.Clock.Now = year.Clock.Now.AddSeconds(1);
        var submitted = await year.Host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(year.Host.Fill(Answers.AllMet("bvna"))).Build());
        Assert.Equal("A1", submitted.ActionOf(1));
        var after = await year.ReportAsync("/metrics/prior-authorization.json?year=2026");

        Assert.Equal((1, 2), (first.All.RequestsReceived, after.All.RequestsReceived));
        Assert.Equal(first.All.Standard.Decided + 1, after.All.Standard.Decided);

        // And never older than a minute, whatever instance wrote what.
        year.Clock.Now = year.Clock.Now.AddMinutes(2);
        Assert.NotEqual(after.GeneratedAt, (await year.ReportAsync("/metrics/prior-authorization.json?year=2026")).GeneratedAt);
    }

    [Fact]
    public async Task Report_PublicPage_AccessibleHtmlWithTheSameFiguresAndNoLogin()
    {
        using var year = await KnownYear.BuildAsync("Sqlite");
        using var client = year.Host.CreateAnonymousClient();

        using var page = await client.GetAsync(new Uri("/metrics/prior-authorization?year=2025", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Prior authorization metrics, calendar year 2025</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Approved (including partially approved)</th><td class=\"n\">66.67% (4 of 6)</td><td class=\"n\">50.00% (1 of 2)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">80.00 hours</td>", html, StringComparison.Ordinal);
        Assert.Contains("Medicare Advantage, contract H1234", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("style-src 'sha256-", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?year=25")]
    [InlineData("?year=2025&from=2025-01-01")]
    [InlineData("?from=2025-02-30")]
    [InlineData("?from=2025-03-01&to=2025-02-01")]
    [InlineData("?to=2025-03-01")]
    [InlineData("?year=2025&year=2024")]
    [InlineData("?from=2001-01-01&to=2025-01-01")]
    public async Task Report_AQueryThatNamesNoPeriod_400WithTheReason(string query)
    {
        using var host = new PasHost();
        using var client = host.CreateAnonymousClient();

        using var json = await client.GetAsync(new Uri($"/metrics/prior-authorization.json{query}", UriKind.Relative));
        using var page = await client.GetAsync(new Uri($"/metrics/prior-authorization{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }

    [Fact]
    public async Task Report_NoPeriodAsked_ThePreviousCalendarYear()
    {
        using var year = await KnownYear.BuildAsync("Sqlite");
        year.Clock.Now = new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

        var report = await year.ReportAsync("/metrics/prior-authorization.json");

        Assert.Equal((new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)), (report.From, report.To));
        Assert.Equal(10, report.All.RequestsReceived);
    }

    [Fact]
    public async Task ReportCommand_YearlyFiling_WritesTheFiguresThePageShows()
    {
        using var year = await KnownYear.BuildAsync("Sqlite");
        var path = Path.Combine(Path.GetTempPath(), $"pa-metrics-{Guid.NewGuid():N}.json");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await PriorAuthorizationReportCommand.RunAsync(year.Host.Services, ["report", "prior-authorization", "--year", "2025", "--out", path], output, error, CancellationToken.None);

        Assert.Equal(0, exit);
        var filed = JsonSerializer.Deserialize<PriorAuthorizationReport>(await File.ReadAllTextAsync(path), PriorAuthorizationMetricsEndpoints.Json)!;
        var served = await year.ReportAsync("/metrics/prior-authorization.json?year=2025");
        Assert.Equal(served.All, filed.All);
        Assert.Equal(served.Programs.Select(p => p.Figures), filed.Programs.Select(p => p.Figures));
        File.Delete(path);

        var wrong = await PriorAuthorizationReportCommand.RunAsync(year.Host.Services, ["report", "prior-authorization", "--format", "pdf"], output, error, CancellationToken.None);
        Assert.Equal(PriorAuthorizationReportCommand.UsageError, wrong);
        Assert.Contains("--format must be json or html", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A year of requests, each received and decided at a chosen time:
    /// R1 standard, certified at once; R2 standard, denied at once, then appealed and the appeal
    /// certified 24 h later; R3 pended, certified after 48 h; R4 pended, extended by 14 days after
    /// 24 h, certified after 240 h (on time); R5 pended, denied after 192 h (late); R6 and R7
    /// expedited Medicare Advantage, certified after 24 h and denied after 96 h (late); R8 pended
    /// and replaced by R9 (R8 withdrawn, R9 still pending); R12 needs no authorization; R13 certified
    /// in part (an epidural certified, the BVNA with it not, P8). R10 (31 Dec 2024) and R11
    /// (1 Jan 2026) fall outside the year.
    /// </summary>
    private sealed class KnownYear : IDisposable
    {
        private KnownYear(PasHost host, SettableClock clock)
        {
            Host = host;
            Clock = clock;
        }

        public PasHost Host { get; }

        public SettableClock Clock { get; }

        public static async Task<KnownYear> BuildAsync(string provider)
        {
            var settings = new Dictionary<string, string?>
            {
                ["FhirAuthentication:Enabled"] = "false",
                ["PriorAuthorizationReport:ProductLines:medicare-advantage:Contract"] = "H1234",
            };
            if (provider == "Postgres")
            {
                settings["Storage:Provider"] = "Postgres";
                settings["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync();
            }

            var clock = new SettableClock(T0);
            var year = new KnownYear(new PasHost(settings, services => services.AddSingleton<TimeProvider>(clock)), clock);
            await year.SendTheYearAsync();
            return year;
        }

        public async Task<PriorAuthorizationReport> ReportAsync(string path)
        {
            using var client = Host.CreateAnonymousClient();
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            return JsonSerializer.Deserialize<PriorAuthorizationReport>(body, PriorAuthorizationMetricsEndpoints.Json)!;
        }

        public void Dispose() => Host.Dispose();

        private async Task SendTheYearAsync()
        {
            await SubmitAsync(T0, Bvna(), "A1");

            var r2 = Bvna(a => a.Set("bvna-radicular-pain", true));
            await SubmitAsync(T0.AddDays(1), r2, "A3");
            var appeal = new PasRequestBuilder { PatientId = r2.PatientId, CertificationType = "2", ReplacesClaimIdentifier = r2.ClaimIdentifier }
                .Line("64628").WithAnswers(Host.Fill(Answers.AllMet("bvna")));
            var appealId = await SubmitAsync(T0.AddDays(1).AddHours(1), appeal, "A4");
            await ReviewAsync(T0.AddDays(1).AddHours(25), appealId, SubscriptionRequests.Decision(1, "A1", "Overturned on appeal."));

            var r3 = await SubmitAsync(T0.AddDays(5), Pended(), "A4");
            await ReviewAsync(T0.AddDays(5).AddHours(48), r3, SubscriptionRequests.Decision(1, "A1", "Criteria met on review."));

            var r4 = await SubmitAsync(T0.AddDays(10), Pended(), "A4");
            await ReviewAsync(T0.AddDays(10).AddHours(24), r4, ReviewRequests.Extension(14, "Imaging requested from the provider."));
            await ReviewAsync(T0.AddDays(10).AddHours(240), r4, SubscriptionRequests.Decision(1, "A1", "Imaging received; criteria met."));

            var r5 = await SubmitAsync(T0.AddDays(30), Pended(), "A4");
            await ReviewAsync(T0.AddDays(30).AddHours(192), r5, SubscriptionRequests.Decision(1, "A3", "BMI 44 in the chart: exclusion P7.11."));

            var r6 = await SubmitAsync(T0.AddDays(50), Pended(plan: "MGB-MEDICARE-ADVANTAGE", priority: "stat"), "A4");
            await ReviewAsync(T0.AddDays(50).AddHours(24), r6, SubscriptionRequests.Decision(1, "A1", "Criteria met on review."));

            var r7 = await SubmitAsync(T0.AddDays(60), Pended(plan: "MGB-MEDICARE-ADVANTAGE", priority: "stat"), "A4");
            await ReviewAsync(T0.AddDays(60).AddHours(96), r7, SubscriptionRequests.Decision(1, "A3", "BMI 44 in the chart: exclusion P7.11."));

            var r8 = Pended();
            await SubmitAsync(T0.AddDays(70), r8, "A4");
            var r9 = Pended();
            r9.PatientId = r8.PatientId;
            r9.ReplacesClaimIdentifier = r8.ClaimIdentifier;
            await SubmitAsync(T0.AddDays(70).AddHours(2), r9, "A4");

            await SubmitAsync(T0.AddDays(80), new PasRequestBuilder { Plan = "MGB-MEDICARE-ADVANTAGE" }.Line("62321"), "NA");

            var r13 = new PasRequestBuilder().Line("64628").Line("62323")
                .WithAnswers(Host.Fill(Answers.AllMet("bvna")))
                .WithAnswers(Host.Fill(Answers.AllMet("esi")));
            await SubmitAsync(T0.AddDays(90), r13, "A3");

            await SubmitAsync(new DateTimeOffset(2024, 12, 31, 23, 0, 0, TimeSpan.Zero), Bvna(), "A1");
            await SubmitAsync(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Bvna(), "A1");
        }

        private PasRequestBuilder Bvna(Func<Answers, Answers>? change = null) =>
            new PasRequestBuilder().Line("64628").WithAnswers(Host.Fill((change ?? (a => a))(Answers.AllMet("bvna"))));

        /// <summary>BMI missing: pended for the information (P6) until a reviewer decides.</summary>
        private PasRequestBuilder Pended(string plan = "MGB-COMMERCIAL", string priority = "normal") =>
            new PasRequestBuilder { Plan = plan, Priority = priority }.Line("64628").WithAnswers(Host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));

        private async Task<string> SubmitAsync(DateTimeOffset at, PasRequestBuilder request, string firstItemAction)
        {
            Clock.Now = at;
            var answer = await Host.SubmitAsync(request.Build());
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
            Assert.Equal(firstItemAction, answer.ActionOf(1));
            return answer.ClaimResponse.Id!;
        }

        private async Task ReviewAsync(DateTimeOffset at, string id, Hl7.Fhir.Model.Parameters parameters)
        {
            Clock.Now = at;
            var answer = await PasHost.PostAsync(Host.Client, $"/fhir/ClaimResponse/{id}/$review", parameters);
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        }
    }
}
