using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.FhirQuestionnaire.Tests.Authoring;

/// <summary>
/// The committed questionnaires, code systems, value sets and library must say what the current policy document (policy/097/policy-097-2026-01.json)
/// says. A policy revision that is not carried into the artefacts fails here.
/// </summary>
public sealed class PublishedArtifactDriftTests
{
    private static readonly PublishedArtifactBuilder Builder = new(ArtifactFiles.Policy);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var resource in Builder.BuildAll())
        {
            data.Add(PublishedArtifactBuilder.FileName(resource));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CommittedArtifact_ComparedWithPolicyDocument_IsWhatThePolicyGenerates(string fileName)
    {
        var built = Builder.BuildAll().Single(r => PublishedArtifactBuilder.FileName(r) == fileName);
        var path = ArtifactFiles.PathOf(fileName);
        if (Environment.GetEnvironmentVariable("SPINEPOLICY_WRITE_ARTIFACTS") == "1")
        {
            File.WriteAllText(path, ArtifactFiles.ToIndentedJson(built));
        }

        Assert.True(File.Exists(path), $"{fileName} is missing; regenerate with SPINEPOLICY_WRITE_ARTIFACTS=1.");
        var committed = ArtifactFiles.Read<Resource>(fileName);
        Assert.Equal(ArtifactFiles.Canonical(built), ArtifactFiles.Canonical(committed));
    }

    [Theory]
    [InlineData("\"display\": \"Spondylolysis at any level\"", "\"display\": \"Spondylolysis at any lumbar level\"")]
    [InlineData("\"criterion\": \"bvna-pregnancy-possible\"", "\"criterion\": \"bvna-spondylolisthesis\"")]
    [InlineData("\"version\": \"2026.01.1\"\n      },\n      \"concurrency\"", "\"version\": \"2026.02.0\"\n      },\n      \"concurrency\"")]
    public void DriftCheck_WhenThePolicyDocumentChanges_NoLongerMatchesTheCommittedBvnaQuestionnaire(string original, string revised)
    {
        // The drift test above is only worth having if a policy revision makes it fail.
        var json = File.ReadAllText(TestKit.RepositoryPaths.PolicyDocument);
        Assert.Contains(original, json, StringComparison.Ordinal);
        var revisedPolicy = PolicyEngine.Document.PolicyDocumentReader.Read(json.Replace(original, revised, StringComparison.Ordinal));

        var built = new PublishedArtifactBuilder(revisedPolicy).BuildQuestionnaire(revisedPolicy.Family("bvna"));

        Assert.NotEqual(ArtifactFiles.Canonical(ArtifactFiles.Questionnaire("bvna-097")), ArtifactFiles.Canonical(built));
    }

    [Theory]
    [InlineData("esi")]
    [InlineData("facet")]
    [InlineData("bvna")]
    public void Questionnaire_ForEachServiceFamily_HasThePolicysCanonicalAndVersion(string familyCode)
    {
        var family = ArtifactFiles.Policy.Family(familyCode);
        var questionnaire = ArtifactFiles.Questionnaire($"{familyCode}-097");

        Assert.Equal(family.Questionnaire.Url, questionnaire.Url);
        Assert.Equal(family.Questionnaire.Version, questionnaire.Version);
    }

    [Theory]
    [InlineData("esi")]
    [InlineData("facet")]
    [InlineData("bvna")]
    public void Questionnaire_EveryCriterionOfItsFamily_HasExactlyOneItemWithItsCode(string familyCode)
    {
        var policy = ArtifactFiles.Policy;
        var items = CodedItems(ArtifactFiles.Questionnaire($"{familyCode}-097"), policy.Document.CriteriaSystem);

        foreach (var criterion in policy.CriteriaFor(familyCode))
        {
            Assert.True(items.Count(i => i.Code == criterion.Code) == 1, $"Criterion {criterion.Code} ({criterion.Clause}) must be asked by exactly one item.");
        }
    }

    [Theory]
    [InlineData("esi")]
    [InlineData("facet")]
    [InlineData("bvna")]
    public void Questionnaire_EveryCodedItem_NamesACriterionOfItsFamilyWithTheRightShape(string familyCode)
    {
        var policy = ArtifactFiles.Policy;
        foreach (var (code, item) in CodedItems(ArtifactFiles.Questionnaire($"{familyCode}-097"), policy.Document.CriteriaSystem))
        {
            var criterion = policy.FindCriterion(code);
            Assert.True(criterion is not null && criterion.Family == familyCode, $"Item {item.LinkId} carries '{code}', which is not a {familyCode} criterion.");
            Assert.True(criterion.Rule is not null || criterion.Role == CriterionRole.Context, $"Item {item.LinkId} asks '{code}', which has no rule and gates nothing.");
            Assert.Equal(criterion.Required, item.Required ?? false);
            Assert.Equal(ExpectedType(criterion.Type), item.Type);
            Assert.Equal(criterion.Type == CriterionType.Levels, item.Repeats ?? false);
        }
    }

    [Theory]
    [InlineData("esi")]
    [InlineData("facet")]
    [InlineData("bvna")]
    public void Questionnaire_EnableWhen_MirrorsThePolicysAskedWhen(string familyCode)
    {
        var policy = ArtifactFiles.Policy;
        var questionnaire = ArtifactFiles.Questionnaire($"{familyCode}-097");
        var items = CodedItems(questionnaire, policy.Document.CriteriaSystem);
        var linkIdOfCode = items.ToDictionary(i => i.Code, i => i.Item.LinkId);

        foreach (var (code, item) in items)
        {
            var gate = policy.FindCriterion(code)!.AskedWhen;
            if (gate is null)
            {
                Assert.Empty(item.EnableWhen);
                continue;
            }

            var condition = Assert.Single(item.EnableWhen);
            Assert.Equal(linkIdOfCode[gate.Criterion], condition.Question);
            Assert.Equal(Questionnaire.QuestionnaireItemOperator.Equal, condition.Operator);
            Assert.Equal(gate.EqualsValue, Assert.IsType<FhirBoolean>(condition.Answer).Value);
        }
    }

    [Fact]
    [Trait("Clause", "P7")]
    public void BvnaQuestionnaire_EveryExclusion_IsAsked()
    {
        var policy = ArtifactFiles.Policy;
        var codes = CodedItems(ArtifactFiles.Questionnaire("bvna-097"), policy.Document.CriteriaSystem).Select(i => i.Code).ToHashSet();
        var exclusions = policy.CriteriaFor("bvna").Where(c => c.Role == CriterionRole.Exclusion).ToList();

        // P7 lists sixteen exclusions; each is an exclusion criterion of the policy data (P8's is asked too, below).
        Assert.Equal(16, exclusions.Where(c => c.Clause.StartsWith("P7.", StringComparison.Ordinal)).Select(c => c.Clause).Distinct().Count());
        Assert.All(exclusions, e => Assert.Contains(e.Code, codes));
    }

    [Fact]
    [Trait("Clause", "P8")]
    public void BvnaQuestionnaire_SameDayProcedure_IsAskedInAGroupOfItsOwnAsAnExclusion()
    {
        // P8: the payer sees the procedures it holds; the form asks for the ones it cannot see
        // (a code needing no authorization on the member's line, another payer's).
        var questionnaire = ArtifactFiles.Questionnaire("bvna-097");
        var group = Assert.Single(questionnaire.Item, i => i.LinkId == "p8-bvna");
        var item = Assert.Single(group.Item);
        var criterion = ArtifactFiles.Policy.FindCriterion("bvna-concurrent-procedure")!;

        Assert.Equal("bvna-concurrent-procedure", item.LinkId);
        Assert.Equal(Questionnaire.QuestionnaireItemType.Boolean, item.Type);
        Assert.Equal(("P8", CriterionRole.Exclusion, false), (criterion.Clause, criterion.Role, criterion.Required));
    }

    [Fact]
    public void CriteriaCodeSystem_HasEveryCriterionOfThePolicy()
    {
        var policy = ArtifactFiles.Policy;
        var codeSystem = ArtifactFiles.Read<CodeSystem>("CodeSystem-policy-097-criteria.json");

        Assert.Equal(policy.Document.CriteriaSystem, codeSystem.Url);
        Assert.Equal(policy.Criteria.Select(c => c.Code).Order(StringComparer.Ordinal), codeSystem.Concept.Select(c => c.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Clause", "P7.15")]
    public void VertebralLevelCodeSystem_HasEveryLevelFromT12ToBelowS1()
    {
        var codeSystem = ArtifactFiles.Read<CodeSystem>("CodeSystem-vertebral-level.json");

        Assert.Equal(ArtifactFiles.Policy.Document.LevelSystem, codeSystem.Url);
        Assert.Equal(["T12", "L1", "L2", "L3", "L4", "L5", "S1", "S2"], codeSystem.Concept.Select(c => c.Code));
        // "Above L3 or below S1": the ends of the list stand for every level beyond them, and say so.
        Assert.Equal("T12 or a higher thoracic vertebra", codeSystem.Concept[0].Display);
        Assert.Equal("Below S1 (S2 or a lower sacral segment)", codeSystem.Concept[^1].Display);
    }

    [Fact]
    [Trait("Clause", "P4")]
    public void EsiQuestionnaire_DemandsNoImagingAndNoPainScoreThreshold()
    {
        var questionnaire = ArtifactFiles.Questionnaire("esi-097");
        var all = Flatten(questionnaire.Item).ToList();
        var asked = all.Where(i => i.Type != Questionnaire.QuestionnaireItemType.Group).ToList();
        var esiCodes = ArtifactFiles.Policy.CriteriaFor("esi").Select(c => c.Code).Append(DtrCanonicals.MemberAgeLinkId).ToHashSet();

        // Only the policy's ESI criteria (and the member's age) are asked: nothing about imaging results or pain scores.
        Assert.All(asked, i => Assert.True(esiCodes.Contains(i.LinkId ?? string.Empty), $"ESI item {i.LinkId} is not a P4 criterion."));
        Assert.DoesNotContain(asked, i => (i.Text ?? string.Empty).Contains("score", StringComparison.OrdinalIgnoreCase) || (i.Text ?? string.Empty).Contains("MRI", StringComparison.Ordinal) || (i.Text ?? string.Empty).Contains("scale", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(asked, i => i.Code.Any(c => c.System == DtrCanonicals.Loinc && c.Code != DtrCanonicals.LoincAge));
    }

    internal static List<(string Code, Questionnaire.ItemComponent Item)> CodedItems(Questionnaire questionnaire, string system) =>
        Flatten(questionnaire.Item)
            .SelectMany(i => i.Code.Where(c => c.System == system && c.Code is not null).Select(c => (c.Code!, i)))
            .ToList();

    internal static IEnumerable<Questionnaire.ItemComponent> Flatten(IEnumerable<Questionnaire.ItemComponent> items)
    {
        foreach (var item in items)
        {
            yield return item;
            foreach (var child in Flatten(item.Item))
            {
                yield return child;
            }
        }
    }

    private static Questionnaire.QuestionnaireItemType ExpectedType(CriterionType type) => type switch
    {
        CriterionType.Boolean => Questionnaire.QuestionnaireItemType.Boolean,
        CriterionType.Integer => Questionnaire.QuestionnaireItemType.Integer,
        CriterionType.Decimal => Questionnaire.QuestionnaireItemType.Decimal,
        _ => Questionnaire.QuestionnaireItemType.Choice,
    };
}
