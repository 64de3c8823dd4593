using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.PolicyEngine.Tests;

/// <summary>Answer sets that meet every stated criterion, to be varied one fact at a time.</summary>
public static class NecessityCases
{
    public static Dictionary<string, CriterionAnswer> ApprovableBvna() => new()
    {
        ["bvna-chronic-low-back-pain-6-months"] = new BooleanAnswer(true),
        ["bvna-failed-conservative-care-6-months"] = new BooleanAnswer(true),
        ["bvna-modic-changes-l3-s1"] = new BooleanAnswer(true),
        ["bvna-radicular-pain"] = new BooleanAnswer(false),
        ["bvna-prior-lumbar-surgery"] = new BooleanAnswer(false),
        ["bvna-symptomatic-spinal-stenosis"] = new BooleanAnswer(false),
        ["bvna-spine-or-systemic-infection"] = new BooleanAnswer(false),
        ["bvna-osteoporosis-or-fragility-fracture"] = new BooleanAnswer(false),
        ["bvna-vertebral-fracture-past-year"] = new BooleanAnswer(false),
        ["bvna-spine-malignancy"] = new BooleanAnswer(false),
        ["bvna-spondylolisthesis"] = new BooleanAnswer(false),
        ["bvna-spondylolysis"] = new BooleanAnswer(false),
        ["bvna-severe-cardiopulmonary-disease"] = new BooleanAnswer(false),
        ["bvna-bmi"] = new NumberAnswer(31.5m),
        ["bvna-poorly-controlled-psychiatric-disease"] = new BooleanAnswer(false),
        ["bvna-bedbound-or-immobilizing-neurologic-condition"] = new BooleanAnswer(false),
        ["bvna-pregnancy-possible"] = new BooleanAnswer(false),
        ["bvna-treated-levels"] = new CodesAnswer(["L4", "L5"]),
        ["bvna-prior-bvna"] = new BooleanAnswer(false),
    };

    public static Dictionary<string, CriterionAnswer> ApprovableFacetRepeat() => new()
    {
        ["facet-suspected-facet-mediated-pain"] = new BooleanAnswer(true),
        ["facet-prior-injection-same-level"] = new BooleanAnswer(true),
        ["facet-prior-relief-percent"] = new NumberAnswer(60),
        ["facet-days-since-last-injection"] = new NumberAnswer(30),
    };

    public static Dictionary<string, CriterionAnswer> ApprovableEsi() => new()
    {
        ["esi-radicular-pain-or-neurogenic-claudication"] = new BooleanAnswer(true),
        ["esi-spinal-region"] = new CodesAnswer(["lumbar"]),
    };

    public static NecessityRequest Request(string cpt, IReadOnlyDictionary<string, CriterionAnswer> answers, string productLine = "commercial", int? age = 45, params OrderedService[] others)
    {
        var order = new OrderedService("item-1", cpt);
        return new NecessityRequest(productLine, AgeFacts.Stated(age), order, [order, .. others], answers);
    }
}
