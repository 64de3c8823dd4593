using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Support;

/// <summary>
/// A coverage assertion as CRD stores it for a commercial member's BVNA order (64628) that needs
/// documentation, so a $questionnaire-package can name it as its <c>context</c>.
/// </summary>
public static class CrdContexts
{
    /// <param name="questionnaire">The form canonical the card named (the version current when it was issued).</param>
    /// <returns>The assertion id, the value of the package's <c>context</c> parameter.</returns>
    public static async Task<string> SaveBvnaAsync(SpinePolicyApp app, string orderReference, string patientId, string questionnaire, DateTimeOffset assertedAt)
    {
        var assertionId = Guid.NewGuid().ToString("N");
        await app.Services.GetRequiredService<ICoverageAssertionStore>().SaveAsync(
        [
            new CoverageAssertion
            {
                AssertionId = assertionId,
                OrderReference = orderReference,
                PatientId = patientId,
                CoverageReference = $"Coverage/coverage-{patientId}",
                CptCode = "64628",
                ProductLine = "commercial",
                Covered = "conditional",
                PaNeeded = "auth-needed",
                DocumentationNeeded = true,
                QuestionnaireCanonical = questionnaire,
                PolicyVersion = "2026.01.0",
                Hook = "order-sign",
                AssertedAt = assertedAt,
            },
        ], CancellationToken.None);
        return assertionId;
    }
}
