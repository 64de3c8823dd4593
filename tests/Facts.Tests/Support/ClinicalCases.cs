using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>
/// The clinical reviewer's cases, written from the policy text (../shared/policy), clause by clause.
/// Every expected answer is what the text says, or the reading docs/policy-097.md states where the
/// text leaves room.
/// </summary>
public static class ClinicalCases
{
    /// <summary>A date of service under the current version (January 2026) and never in the past.</summary>
    public const string DateOfService = "2027-06-15";

    private const string Adult = "1970-05-04";
    private const string Covered = "covered";
    private const string NotCovered = "not-covered";
    private const string Conditional = "conditional";
    private const string AuthNeeded = "auth-needed";
    private const string NoAuth = "no-auth";

    private static readonly (string Plan, string Line)[] Plans =
    [
        ("MGB-COMMERCIAL", "commercial"), ("MGB-QHP", "qualified-health-plan"), ("MGB-MASSHEALTH-ACO", "masshealth-aco"),
        ("MGB-MEDICARE-ADVANTAGE", "medicare-advantage"), ("MGB-ONECARE", "onecare"), ("MGB-SCO", "senior-care-options"),
    ];

    /// <summary>P2: every code, its family, its add-on primary (if any), and the spinal region it treats.</summary>
    private static readonly (string Code, string Family, string? Primary, string Region)[] Codes =
    [
        ("62320", "esi", null, "cervical"), ("62321", "esi", null, "cervical"), ("62322", "esi", null, "lumbar"), ("62323", "esi", null, "lumbar"),
        ("62324", "esi", null, "cervical"), ("62325", "esi", null, "cervical"), ("62326", "esi", null, "lumbar"), ("62327", "esi", null, "lumbar"),
        ("64479", "esi", null, "cervical"), ("64480", "esi", "64479", "cervical"), ("64483", "esi", null, "lumbar"), ("64484", "esi", "64483", "lumbar"),
        ("64490", "facet", null, "cervical"), ("64491", "facet", "64490", "cervical"), ("64492", "facet", "64490", "cervical"),
        ("64493", "facet", null, "lumbar"), ("64494", "facet", "64493", "lumbar"), ("64495", "facet", "64493", "lumbar"),
        ("64628", "bvna", null, "lumbar"), ("64629", "bvna", "64628", "lumbar"),
    ];

    public static IReadOnlyList<ClinicalCase> All { get; } = Build();

    public static Form Esi(Policy policy, IQuestionnaireCatalog catalog, string region = "lumbar") => new Form(policy, catalog, "esi")
        .Yes("esi-radicular-pain-or-neurogenic-claudication")
        .Set("esi-spinal-region", new Hl7.Fhir.Model.Coding("https://spinepolicy.example.org/fhir/CodeSystem/spinal-region", region));

    public static Form Facet(Policy policy, IQuestionnaireCatalog catalog) => new Form(policy, catalog, "facet")
        .Yes("facet-suspected-facet-mediated-pain")
        .No("facet-prior-injection-same-level");

    public static Form FacetRepeat(Policy policy, IQuestionnaireCatalog catalog, int relief, int days) => new Form(policy, catalog, "facet")
        .Yes("facet-suspected-facet-mediated-pain", "facet-prior-injection-same-level")
        .Set("facet-prior-relief-percent", new Hl7.Fhir.Model.Integer(relief))
        .Set("facet-days-since-last-injection", new Hl7.Fhir.Model.Integer(days));

    public static Form Bvna(Policy policy, IQuestionnaireCatalog catalog, params string[] levels) => Form.ApprovableBvna(policy, catalog, levels);

    private static Func<Policy, IQuestionnaireCatalog, Form> FormFor(string family, string region) => family switch
    {
        "esi" => (p, c) => Esi(p, c, region),
        "facet" => Facet,
        _ => (p, c) => Bvna(p, c),
    };

    private static Order On(string id, string cpt, decimal? quantity = null, string date = DateOfService) => Order.On(id, cpt, date, quantity);

    private static List<ClinicalCase> Build()
    {
        var cases = new List<ClinicalCase>();
        ProductLines(cases);
        CodingRules(cases);
        AddOnsWithoutAuthorization(cases);
        Probes(cases);
        Ages(cases);
        Facet(cases);
        Esi(cases);
        Exclusions(cases);
        Concurrency(cases);
        Indications(cases);
        Versions(cases);
        return cases;
    }

    /// <summary>P3 (and P10, P9, P11): every code × every product line, the add-ons with their primary.</summary>
    private static void ProductLines(List<ClinicalCase> cases)
    {
        foreach (var (plan, line) in Plans)
        {
            foreach (var (code, family, primary, region) in Codes)
            {
                var orders = primary is null ? new[] { On("o1", code) } : [On("o0", primary), On("o1", code)];
                var cms = line is "medicare-advantage" or "onecare" or "senior-care-options";
                var expected = (family, line) switch
                {
                    ("bvna", "masshealth-aco") => new Expected(NotCovered, null, NotCovered, "A3", "not payable"),
                    ("bvna", _) => new Expected(Covered, AuthNeeded, Covered, "A1", cms ? (line == "medicare-advantage" ? "P9" : "P11") : null),
                    _ when cms => new Expected(Covered, NoAuth, Covered, "NA"),
                    ("esi", _) when code is "62324" or "62325" or "62326" or "62327" => new Expected(Covered, NoAuth, Covered, "NA"),
                    _ => new Expected(Covered, AuthNeeded, Covered, "A1"),
                };
                cases.Add(new ClinicalCase($"P3-{line}-{code}", "P3", $"{line}, {code}{(primary is null ? string.Empty : $" with {primary}")}", new Member(Adult, plan), orders, code == "64629" ? (p, c) => Bvna(p, c, "L4", "L5", "S1") : FormFor(family, region), expected) { Judged = "o1" });
            }
        }
    }

    /// <summary>P2: add-ons, codes outside the ranges, mixed orders, units.</summary>
    private static void CodingRules(List<ClinicalCase> cases)
    {
        foreach (var (code, family, primary, region) in Codes.Where(c => c.Primary is not null))
        {
            cases.Add(new ClinicalCase($"P2-addon-alone-{code}", "P2", $"commercial, add-on {code} without {primary}", new Member(Adult), [On("o1", code)], FormFor(family, region),
                new Expected(NotCovered, null, NotCovered, "A3", primary, "(P2)")));
        }

        foreach (var code in new[] { "62319", "62328", "64478", "64496", "64627", "64630" })
        {
            cases.Add(new ClinicalCase($"P2-outside-{code}", "P2", $"commercial, {code} (just outside P2's ranges)", new Member(Adult), [On("o1", code)], null,
                new Expected(Conditional, NoAuth, null, "NA", null)));
        }

        cases.Add(new ClinicalCase("P2-mixed-esi-and-knee", "P2", "commercial, 64483 and 27447 in one order", new Member(Adult), [On("o1", "64483"), On("o2", "27447")], FormFor("esi", "lumbar"),
            new Expected(Covered, AuthNeeded, Covered, "A1")));
        cases.Add(new ClinicalCase("P2-mixed-knee-judged", "P2", "commercial, 64483 and 27447 in one order (the knee)", new Member(Adult), [On("o1", "64483"), On("o2", "27447")], FormFor("esi", "lumbar"),
            new Expected(Conditional, NoAuth, null, "NA")) { Judged = "o2" });
        cases.Add(new ClinicalCase("P2-mixed-facet-and-mri", "P2", "commercial, 64493 and 72148 in one order", new Member(Adult), [On("o1", "64493"), On("o2", "72148")], Facet,
            new Expected(Covered, AuthNeeded, Covered, "A1")));
        cases.Add(new ClinicalCase("P2-units-esi-2", "P2", "commercial, 64484 × 2 with 64483", new Member(Adult), [On("o0", "64483"), On("o1", "64484", 2)], FormFor("esi", "lumbar"),
            new Expected(Covered, AuthNeeded, Covered, "A1")) { Judged = "o1" });
        // 64495 is "third and any additional level(s)": one unit covers them all, as 64628 covers two bodies.
        cases.Add(new ClinicalCase("P2-units-facet-1", "P2", "commercial, 64495 × 1 with 64493", new Member(Adult), [On("o0", "64493"), On("o1", "64495")], Facet,
            new Expected(Covered, AuthNeeded, Covered, "A1")) { Judged = "o1" });
        cases.Add(new ClinicalCase("P2-units-facet-3", "P2", "commercial, 64495 × 3 with 64493 (one unit covers every level past the second)", new Member(Adult), [On("o0", "64493"), On("o1", "64495", 3)], Facet,
            new Expected(NotCovered, null, null, "A3", "P2", "(P2)")) { Judged = "o1" });
        cases.Add(new ClinicalCase("P7.15-units-64629-2", "P7.15", "commercial, 64629 × 2 with 64628, L3–S1", new Member(Adult), [On("o0", "64628"), On("o1", "64629", 2)], (p, c) => Bvna(p, c, "L3", "L4", "L5", "S1"),
            new Expected(Covered, AuthNeeded, Covered, "A1")) { Judged = "o1" });
        cases.Add(new ClinicalCase("P7.15-units-64629-3", "P7.15", "commercial, 64629 × 3 with 64628", new Member(Adult), [On("o0", "64628"), On("o1", "64629", 3)], (p, c) => Bvna(p, c, "L3", "L4", "L5", "S1"),
            new Expected(NotCovered, null, null, "A3", "P7.15", "(P7.15)")) { Judged = "o1" });
    }

    /// <summary>P2 with P3: an add-on alone where no prior authorization is needed, or where the service is not payable.</summary>
    private static void AddOnsWithoutAuthorization(List<ClinicalCase> cases)
    {
        cases.Add(new ClinicalCase("P2-addon-alone-medicare-64484", "P2", "Medicare Advantage, 64484 without 64483 (no PA for ESI)", new Member(Adult, "MGB-MEDICARE-ADVANTAGE"), [On("o1", "64484")], FormFor("esi", "lumbar"),
            new Expected(Covered, NoAuth, Covered, "NA")));
        cases.Add(new ClinicalCase("P2-addon-alone-masshealth-64629", "P2", "MassHealth, 64629 without 64628 (not payable)", new Member(Adult, "MGB-MASSHEALTH-ACO"), [On("o1", "64629")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "not payable")));
    }

    /// <summary>Probes of readings the policy text implies (see docs/policy-097.md).</summary>
    private static void Probes(List<ClinicalCase> cases)
    {
        // 64628 + 64629 treat three bodies (P2's descriptors); a form naming two leaves one level unknown.
        cases.Add(new ClinicalCase("P2-levels-64629-two-named", "P2", "commercial, 64628 + 64629 with two levels named (L4, L5)", new Member(Adult), [On("o0", "64628"), On("o1", "64629")], (p, c) => Bvna(p, c, "L4", "L5"),
            new Expected(Covered, AuthNeeded, Conditional, "A4", "treat 3 levels")) { Judged = "o1" });
        cases.Add(new ClinicalCase("P2-units-64628-2", "P2", "commercial, 64628 × 2 (64628 is the first two vertebral bodies)", new Member(Adult), [On("o1", "64628", 2)], (p, c) => Bvna(p, c, "L3", "L4", "L5", "S1"),
            new Expected(NotCovered, null, NotCovered, "A3", "64628", "(P2)")));
        cases.Add(new ClinicalCase("P9-lcds-named", "P9", "Medicare Advantage BVNA approved: names the BVNA LCDs", new Member(Adult, "MGB-MEDICARE-ADVANTAGE"), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(Covered, AuthNeeded, Covered, "A1", "L39642")));
        cases.Add(new ClinicalCase("P13-october-facet", "P13", "facet on 2025-11-10 (October 2025 version, PA table not on file)", new Member(Adult), [On("o1", "64493", date: "2025-11-10")], Facet,
            new Expected(null, null, Conditional, "A4", "2025.10.0")));
        cases.Add(new ClinicalCase("P13-october-bvna-masshealth", "P13", "bvna for MassHealth on 2025-11-10", new Member(Adult, "MGB-MASSHEALTH-ACO"), [On("o1", "64628", date: "2025-11-10")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "not payable")));
        cases.Add(new ClinicalCase("P8-denial-says-other-code", "P8", "bvna with 63047 same day: the denial names the other code", new Member(Adult), [On("o1", "64628"), On("o2", "63047")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "(63047 on 2027-06-15)", "(P8)")));
        cases.Add(new ClinicalCase("P6-under25-denial-names-age", "P6", "bvna at 24: the denial says the age", new Member("2003-01-01"), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "the member is 24 on the date of service")));
    }

    /// <summary>P1/P6: the age on the date of service, leap-day birthdays and partial birth dates.</summary>
    private static void Ages(List<ClinicalCase> cases)
    {
        var dos = DateOnly.Parse(DateOfService, System.Globalization.CultureInfo.InvariantCulture);
        string Born(int years, int days) => dos.AddYears(-years).AddDays(-days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        foreach (var (family, code) in new[] { ("esi", "64483"), ("facet", "64493") })
        {
            cases.Add(new ClinicalCase($"P1-{family}-17y364d", "P1", $"{family}, 17 years 364 days on the date of service", new Member(Born(18, -1)), [On("o1", code)], FormFor(family, "lumbar"),
                new Expected(Covered, AuthNeeded, Conditional, "A4", "under 18", "(P1)")));
            cases.Add(new ClinicalCase($"P1-{family}-18y0d", "P1", $"{family}, 18 on the date of service", new Member(Born(18, 0)), [On("o1", code)], FormFor(family, "lumbar"),
                new Expected(Covered, AuthNeeded, Covered, "A1")));
            cases.Add(new ClinicalCase($"P1-{family}-year-straddles", "P1", $"{family}, born 2009 (17 or 18)", new Member("2009"), [On("o1", code)], FormFor(family, "lumbar"),
                new Expected(null, null, Conditional, "A4", "may be 17 or 18", "uncertain")));
            cases.Add(new ClinicalCase($"P1-{family}-yearmonth-straddles", "P1", $"{family}, born 2009-06 (17 or 18 on 15 June)", new Member("2009-06"), [On("o1", code)], FormFor(family, "lumbar"),
                new Expected(null, null, Conditional, "A4", "may be 17 or 18", "uncertain")));
            cases.Add(new ClinicalCase($"P1-{family}-yearmonth-one-side", "P1", $"{family}, born 2009-05 (18)", new Member("2009-05"), [On("o1", code)], FormFor(family, "lumbar"),
                new Expected(null, null, Covered, "A1")));
            cases.Add(new ClinicalCase($"P1-{family}-year-under", "P1", $"{family}, born 2010 (16 or 17)", new Member("2010"), [On("o1", code)], FormFor(family, "lumbar"),
                new Expected(null, null, Conditional, "A4", "under 18")));
        }

        cases.Add(new ClinicalCase("P6-bvna-24y364d", "P6", "bvna, 24 years 364 days on the date of service", new Member(Born(25, -1)), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "under 25", "(P6)")));
        cases.Add(new ClinicalCase("P6-bvna-25y0d", "P6", "bvna, 25 on the date of service", new Member(Born(25, 0)), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(Covered, AuthNeeded, Covered, "A1")));
        cases.Add(new ClinicalCase("P6-bvna-year-straddles", "P6", "bvna, born 2002", new Member("2002"), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(Covered, AuthNeeded, Conditional, "A4", "may be 24 or 25", "uncertain")));
        cases.Add(new ClinicalCase("P6-bvna-year-under", "P6", "bvna, born 2003 (23 or 24)", new Member("2003"), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "under 25", "(P6)")));
        cases.Add(new ClinicalCase("P6-bvna-yearmonth-over", "P6", "bvna, born 2002-05", new Member("2002-05"), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(null, null, Covered, "A1")));

        // Leap-day birthdays: born 29 February, the member reaches the age on 28 February of a common
        // year (docs/policy-097.md: the reading in the member's favour), not on 1 March.
        cases.Add(new ClinicalCase("P6-bvna-leap-27feb", "P6", "bvna, born 2004-02-29, date of service 2029-02-27", new Member("2004-02-29"), [On("o1", "64628", date: "2029-02-27")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "under 25")));
        cases.Add(new ClinicalCase("P6-bvna-leap-28feb", "P6", "bvna, born 2004-02-29, date of service 2029-02-28", new Member("2004-02-29"), [On("o1", "64628", date: "2029-02-28")], (p, c) => Bvna(p, c),
            new Expected(null, null, Covered, "A1")));
        cases.Add(new ClinicalCase("P6-bvna-leap-1mar", "P6", "bvna, born 2004-02-29, date of service 2029-03-01", new Member("2004-02-29"), [On("o1", "64628", date: "2029-03-01")], (p, c) => Bvna(p, c),
            new Expected(null, null, Covered, "A1")));
        cases.Add(new ClinicalCase("P1-esi-leap-27feb", "P1", "esi, born 2012-02-29, date of service 2030-02-27", new Member("2012-02-29"), [On("o1", "64483", date: "2030-02-27")], FormFor("esi", "lumbar"),
            new Expected(null, null, Conditional, "A4", "under 18")));
        cases.Add(new ClinicalCase("P1-esi-leap-28feb", "P1", "esi, born 2012-02-29, date of service 2030-02-28", new Member("2012-02-29"), [On("o1", "64483", date: "2030-02-28")], FormFor("esi", "lumbar"),
            new Expected(null, null, Covered, "A1")));
        cases.Add(new ClinicalCase("P1-esi-leap-1mar", "P1", "esi, born 2012-02-29, date of service 2030-03-01", new Member("2012-02-29"), [On("o1", "64483", date: "2030-03-01")], FormFor("esi", "lumbar"),
            new Expected(null, null, Covered, "A1")));
        cases.Add(new ClinicalCase("P6-bvna-leap-year-29feb", "P6", "bvna, born 2003-02-28, date of service 2028-02-29", new Member("2003-02-28"), [On("o1", "64628", date: "2028-02-29")], (p, c) => Bvna(p, c),
            new Expected(null, null, Covered, "A1")));
    }

    /// <summary>P5: 50 % relief and two weeks between injections.</summary>
    private static void Facet(List<ClinicalCase> cases)
    {
        foreach (var (relief, expected) in new[] { (49, "A3"), (50, "A1"), (51, "A1") })
        {
            cases.Add(new ClinicalCase($"P5-relief-{relief}", "P5", $"facet repeat, {relief} % relief, 30 days", new Member(Adult), [On("o1", "64493")], (p, c) => FacetRepeat(p, c, relief, 30),
                new Expected(Covered, AuthNeeded, expected == "A1" ? Covered : NotCovered, expected, expected == "A3" ? "P5" : null)));
        }

        foreach (var (days, expected) in new[] { (13, "A3"), (14, "A1"), (15, "A1") })
        {
            cases.Add(new ClinicalCase($"P5-interval-{days}", "P5", $"facet repeat, 60 % relief, {days} days", new Member(Adult), [On("o1", "64493")], (p, c) => FacetRepeat(p, c, 60, days),
                new Expected(Covered, AuthNeeded, expected == "A1" ? Covered : NotCovered, expected, expected == "A3" ? "P5" : null)));
        }

        cases.Add(new ClinicalCase("P5-no-suspicion", "P5", "facet, facet-mediated pain not suspected", new Member(Adult), [On("o1", "64493")], (p, c) => Facet(p, c).No("facet-suspected-facet-mediated-pain"),
            new Expected(Covered, AuthNeeded, Conditional, "A4", "clinician")));
    }

    /// <summary>P4: no imaging, no pain-score threshold; radicular pain or claudication is the indication.</summary>
    private static void Esi(List<ClinicalCase> cases)
    {
        foreach (var region in new[] { "cervical", "thoracic", "lumbar", "sacral" })
        {
            cases.Add(new ClinicalCase($"P4-esi-{region}", "P4", $"esi, {region} radicular pain, no imaging, no pain score", new Member(Adult), [On("o1", region is "cervical" or "thoracic" ? "64479" : "64483")], (p, c) => Esi(p, c, region),
                new Expected(Covered, AuthNeeded, Covered, "A1")));
        }

        cases.Add(new ClinicalCase("P4-esi-no-radicular", "P4", "esi, radicular pain or claudication not documented", new Member(Adult), [On("o1", "64483")], (p, c) => Esi(p, c).No("esi-radicular-pain-or-neurogenic-claudication"),
            new Expected(Covered, AuthNeeded, Conditional, "A4", "clinician")));
    }

    /// <summary>P7: each exclusion alone, the boundaries, the levels, repeats.</summary>
    private static void Exclusions(List<ClinicalCase> cases)
    {
        var booleans = new (string Clause, string Code)[]
        {
            ("P7.1", "bvna-radicular-pain"), ("P7.2", "bvna-prior-lumbar-surgery"), ("P7.3", "bvna-symptomatic-spinal-stenosis"),
            ("P7.4", "bvna-spine-or-systemic-infection"), ("P7.5", "bvna-osteoporosis-or-fragility-fracture"), ("P7.6", "bvna-vertebral-fracture-past-year"),
            ("P7.7", "bvna-spine-malignancy"), ("P7.9", "bvna-spondylolysis"), ("P7.10", "bvna-severe-cardiopulmonary-disease"),
            ("P7.12", "bvna-poorly-controlled-psychiatric-disease"), ("P7.13", "bvna-bedbound-or-immobilizing-neurologic-condition"),
        };
        foreach (var (clause, code) in booleans)
        {
            cases.Add(new ClinicalCase($"{clause}-alone", clause, $"bvna, {code} alone", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c).Yes(code),
                new Expected(Covered, AuthNeeded, NotCovered, "A3", $"{clause}: Exclusion present")));
        }

        foreach (var (mm, expected) in new[] { (2.0m, "A1"), (2.1m, "A3"), (5m, "A3") })
        {
            cases.Add(new ClinicalCase($"P7.8-slip-{mm}", "P7.8", $"bvna, spondylolisthesis {mm} mm", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c).Yes("bvna-spondylolisthesis").Number("bvna-spondylolisthesis-mm", mm),
                new Expected(null, null, expected == "A1" ? Covered : NotCovered, expected, expected == "A3" ? "P7.8: Exclusion present" : null)));
        }

        // The size unanswered: a pend naming the item and its own clause (P7.8), not the family's P6.
        cases.Add(new ClinicalCase("P7.8-slip-size-missing", "P7.8", "bvna, spondylolisthesis present, its size not answered", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c).Yes("bvna-spondylolisthesis"),
            new Expected(Covered, AuthNeeded, null, "A4", "information missing: Spondylolisthesis slip (millimetres) (P7.8)")));

        foreach (var (bmi, expected) in new[] { (40m, "A1"), (40.1m, "A3") })
        {
            cases.Add(new ClinicalCase($"P7.11-bmi-{bmi}", "P7.11", $"bvna, BMI {bmi}", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c).Number("bvna-bmi", bmi),
                new Expected(null, null, expected == "A1" ? Covered : NotCovered, expected, expected == "A3" ? "P7.11: Exclusion present" : null)));
        }

        cases.Add(new ClinicalCase("P7.14-pregnant", "P7.14", "bvna, pregnant", new Member(Adult, Gender: Hl7.Fhir.Model.AdministrativeGender.Female), [On("o1", "64628")], (p, c) => Bvna(p, c).Yes("bvna-pregnancy-possible", "bvna-pregnancy"),
            new Expected(null, null, NotCovered, "A3", "P7.14: Exclusion present")));
        cases.Add(new ClinicalCase("P7.14-could-be-not", "P7.14", "bvna, could be pregnant, is not", new Member(Adult, Gender: Hl7.Fhir.Model.AdministrativeGender.Female), [On("o1", "64628")], (p, c) => Bvna(p, c).Yes("bvna-pregnancy-possible").No("bvna-pregnancy"),
            new Expected(null, null, Covered, "A1")));

        foreach (var (levels, expected, says) in new (string[], string, string?)[]
        {
            (["L3", "L4"], "A1", null), (["L5", "S1"], "A1", null), (["T12", "L1"], "A3", "T12 is above L3"), (["L2", "L3"], "A3", "L2 is above L3"), (["S1", "S2"], "A3", "S2 is below S1"),
        })
        {
            cases.Add(new ClinicalCase($"P7.15-{string.Join("-", levels)}", "P7.15", $"bvna, levels {string.Join(", ", levels)}", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c, levels),
                new Expected(null, null, expected == "A1" ? Covered : NotCovered, expected, says)));
        }

        cases.Add(new ClinicalCase("P7.16-same-level", "P7.16", "bvna L4–L5, earlier BVNA at L4", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c).Yes("bvna-prior-bvna").Levels("bvna-previously-treated-levels", "L4"),
            new Expected(null, null, NotCovered, "A3", "P7.16: Exclusion present")));
        cases.Add(new ClinicalCase("P7.16-other-level", "P7.16", "bvna L4–L5, earlier BVNA at L3", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c).Yes("bvna-prior-bvna").Levels("bvna-previously-treated-levels", "L3"),
            new Expected(null, null, Covered, "A1")));
        cases.Add(new ClinicalCase("P7.16-certified-same-level", "P7.16", "bvna L4–L5, this payer certified BVNA at L4–L5 in 2027-01, form says none", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(null, null, NotCovered, "A3", "certified")) { Before = [([On("b1", "64628", date: "2027-01-10")], (p, c) => Bvna(p, c))] });
        cases.Add(new ClinicalCase("P7.16-certified-other-level", "P7.16", "bvna L4–L5, this payer certified BVNA at L3 in 2027-01", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(null, null, Covered, "A1")) { Before = [([On("b1", "64628", date: "2027-01-10")], (p, c) => Bvna(p, c, "S1"))] });
    }

    /// <summary>P8: BVNA with another procedure on the same date.</summary>
    private static void Concurrency(List<ClinicalCase> cases)
    {
        foreach (var (code, what, expected) in new[]
        {
            ("64483", "a transforaminal ESI", "A3"), ("64493", "a facet injection", "A3"), ("64635", "facet nerve ablation", "A3"), ("64450", "a peripheral nerve block", "A3"),
            ("63030", "a laminotomy", "A3"), ("27447", "another surgery (knee)", "A3"), ("99213", "an office visit (E&M)", "A1"), ("77003", "fluoroscopic guidance", "A1"),
            ("72148", "a lumbar MRI (unclassified)", "A4"), ("0275T", "a Category III code", "A4"),
        })
        {
            cases.Add(new ClinicalCase($"P8-same-day-{code}", "P8", $"bvna with {what} ({code}) on the same date, same request", new Member(Adult), [On("o1", "64628"), On("o2", code)], (p, c) => Bvna(p, c),
                new Expected(expected == "A3" ? NotCovered : Covered, expected == "A3" ? null : AuthNeeded, expected switch { "A1" => Covered, "A3" => NotCovered, _ => Conditional }, expected, expected == "A1" ? null : "P8", expected == "A1" ? null : "(P8)")));
        }

        cases.Add(new ClinicalCase("P8-other-day-same-request", "P8", "bvna with an ESI a week later, same request", new Member(Adult), [On("o1", "64628"), On("o2", "64483", date: "2027-06-22")], (p, c) => Bvna(p, c),
            new Expected(Covered, AuthNeeded, Covered, "A1")));
        cases.Add(new ClinicalCase("P8-esi-line-beside-bvna", "P8", "the ESI beside a BVNA on the same date (the ESI is not the experimental one)", new Member(Adult), [On("o1", "64628"), On("o2", "64483")], (p, c) => Esi(p, c),
            new Expected(Covered, AuthNeeded, Covered, "A1")) { Judged = "o2" });
        cases.Add(new ClinicalCase("P8-same-day-other-request", "P8", "bvna; an ESI on the same date in another (certified) request", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "P8", "(P8)")) { Before = [([On("b1", "64483")], (p, c) => Esi(p, c))] });
        cases.Add(new ClinicalCase("P8-same-day-other-pending-request", "P8", "bvna; an ESI on the same date in another request pended for information", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "pending request", "(P8)")) { Before = [([On("b1", "64483")], (p, c) => Esi(p, c).Without("esi-radicular-pain-or-neurogenic-claudication"))] });
        cases.Add(new ClinicalCase("P8-same-day-other-request-no-auth", "P8", "Medicare Advantage bvna; an ESI on the same date in another request, answered that it needs no prior authorization (P3)",
            new Member(Adult, "MGB-MEDICARE-ADVANTAGE"), [On("o1", "64628")], (p, c) => Bvna(p, c).No("bvna-concurrent-procedure"),
            new Expected(null, null, NotCovered, "A3", "needed no prior authorization", "(P8)")) { Before = [([On("b1", "64483")], (p, c) => Esi(p, c))] });
        cases.Add(new ClinicalCase("P8-same-day-other-denied-request", "P8", "bvna; a denied ESI add-on (64484 alone) on the same date in another request", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(null, null, Covered, "A1")) { Before = [([On("b1", "64484")], (p, c) => Esi(p, c))] });
        cases.Add(new ClinicalCase("P8-period-may-share-day", "P8", "bvna; an ESI in the same request some day in 2027-06-10..2027-06-20", new Member(Adult),
            [On("o1", "64628"), Order.Of("o2", "64483", null, new Hl7.Fhir.Model.Period(new Hl7.Fhir.Model.FhirDateTime("2027-06-10"), new Hl7.Fhir.Model.FhirDateTime("2027-06-20")))], (p, c) => Bvna(p, c),
            new Expected(Covered, AuthNeeded, Conditional, "A4", "clinician")));
        cases.Add(new ClinicalCase("P8-other-day-other-request", "P8", "bvna; an ESI a week earlier in another request", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c),
            new Expected(null, null, Covered, "A1")) { Before = [([On("b1", "64483", date: "2027-06-08")], (p, c) => Esi(p, c))] });
    }

    /// <summary>P6: indications not met go to clinical review, never an automatic denial.</summary>
    private static void Indications(List<ClinicalCase> cases)
    {
        foreach (var code in new[] { "bvna-chronic-low-back-pain-6-months", "bvna-failed-conservative-care-6-months", "bvna-modic-changes-l3-s1" })
        {
            cases.Add(new ClinicalCase($"P6-indication-{code}", "P6", $"bvna, {code} not met", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c).No(code),
                new Expected(Covered, AuthNeeded, Conditional, "A4", "clinician")));
        }

        cases.Add(new ClinicalCase("P6-indication-missing", "P6", "bvna, BMI not answered", new Member(Adult), [On("o1", "64628")], (p, c) => Bvna(p, c).Without("bvna-bmi"),
            new Expected(Covered, AuthNeeded, null, "A4", "information missing")));
    }

    /// <summary>P13: the version in force on the date of service; P9/P11 CMS lines by version.</summary>
    private static void Versions(List<ClinicalCase> cases)
    {
        cases.Add(new ClinicalCase("P13-before-first", "P13", "esi on 2025-07-15 (before August 2025)", new Member(Adult), [On("o1", "64483", date: "2025-07-15")], (p, c) => Esi(p, c),
            new Expected(Conditional, null, Conditional, "A4", "2025-08-01")));
        cases.Add(new ClinicalCase("P13-august-esi", "P13", "esi on 2025-09-10 (August 2025 version, its PA table not on file)", new Member(Adult), [On("o1", "64483", date: "2025-09-10")], (p, c) => Esi(p, c),
            new Expected(null, null, Conditional, "A4", "2025.08.0")));
        cases.Add(new ClinicalCase("P13-august-bvna-masshealth", "P13", "bvna for MassHealth on 2025-09-10 (not payable then too, P10)", new Member(Adult, "MGB-MASSHEALTH-ACO"), [On("o1", "64628", date: "2025-09-10")], (p, c) => Bvna(p, c),
            new Expected(NotCovered, null, NotCovered, "A3", "not payable")));
        cases.Add(new ClinicalCase("P13-sco-december", "P13", "bvna for SCO on 2025-12-10 (before the OneCare/SCO variation)", new Member(Adult, "MGB-SCO"), [On("o1", "64628", date: "2025-12-10")], (p, c) => Bvna(p, c),
            new Expected(null, null, Conditional, "A4")));
        cases.Add(new ClinicalCase("P13-sco-february", "P13", "bvna for SCO on 2026-02-10", new Member(Adult, "MGB-SCO"), [On("o1", "64628", date: "2026-02-10")], (p, c) => Bvna(p, c),
            new Expected(null, null, Covered, "A1", "P11")));
    }
}
