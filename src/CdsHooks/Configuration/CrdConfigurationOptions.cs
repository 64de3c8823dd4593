using SpinePolicy.CdsHooks.Discovery;

namespace SpinePolicy.CdsHooks.Configuration;

/// <summary>What discovery advertises under davinci-crd.configuration-options: one switch per card type, and max-cards.</summary>
internal static class CrdConfigurationOptions
{
    public static IReadOnlyList<CrdConfigurationOption> All { get; } =
    [
        new(CrdCardTypes.CoverageInformation.Code, "boolean", "Coverage information cards", "Instructions cards saying whether prior authorization or documentation is needed, or that a service is not payable.", true),
        new(CrdCardTypes.Guideline.Code, "boolean", "Policy reference card", "An External Reference card linking Medical Policy 097 for each governed order set.", true),
        new(CrdCardTypes.OffGuideline.Code, "boolean", "Policy rule cards", "Instructions cards when an order falls outside the policy's rules (age, add-on without primary, concurrent procedures).", true),
        new(CrdCardTypes.MaxCards, "integer", "Maximum cards", "The most cards returned; the most urgent are kept.", CrdCardTypes.DefaultMaxCards),
    ];
}
