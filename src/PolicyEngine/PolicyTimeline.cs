using System.Globalization;
using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.PolicyEngine;

/// <summary>
/// Every version of the policy, each in force from its effective date until the next one takes
/// effect (P13). A decision uses the version in force on the date of service, so that a revision
/// changes the answers for services after it, and a service before the first version is known to
/// have no version at all. Immutable: publishing a revision means a new timeline.
/// </summary>
public sealed class PolicyTimeline
{
    private readonly Policy[] _versions;

    public PolicyTimeline(IEnumerable<Policy> versions)
    {
        _versions = [.. versions.OrderBy(v => v.Document.Effective)];
        if (_versions.Length == 0)
        {
            throw new PolicyDocumentException("The policy timeline needs at least one version.");
        }

        var first = _versions[0].Document;
        for (var i = 1; i < _versions.Length; i++)
        {
            var document = _versions[i].Document;
            if (document.Url != first.Url || document.PolicyNumber != first.PolicyNumber)
            {
                throw new PolicyDocumentException($"Policy document version {document.Version} is of policy {document.PolicyNumber} ({document.Url}), not of {first.PolicyNumber} ({first.Url}).");
            }

            if (document.Effective == _versions[i - 1].Document.Effective)
            {
                throw new PolicyDocumentException($"Policy document versions {_versions[i - 1].Version} and {document.Version} both take effect on {document.Effective:yyyy-MM-dd}.");
            }

            if (_versions.Take(i).Any(v => v.Version == document.Version))
            {
                throw new PolicyDocumentException($"Policy document version {document.Version} appears twice.");
            }
        }
    }

    public static PolicyTimeline Of(Policy policy) => new([policy]);

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<Policy> Versions => _versions;

    /// <summary>The latest version: what is published (questionnaires, the policy link) today.</summary>
    public Policy Current => _versions[^1];

    public Policy First => _versions[0];

    /// <summary>The version in force on <paramref name="date"/>; null before the first took effect.</summary>
    public Policy? InForceOn(DateOnly date)
    {
        for (var i = _versions.Length - 1; i >= 0; i--)
        {
            if (_versions[i].Document.Effective <= date)
            {
                return _versions[i];
            }
        }

        return null;
    }

    /// <summary>The last day <paramref name="version"/> is in force, or null while it is the latest.</summary>
    public DateOnly? LastDayOf(Policy version)
    {
        var index = Array.IndexOf(_versions, version);
        return index >= 0 && index < _versions.Length - 1 ? _versions[index + 1].Document.Effective.AddDays(-1) : null;
    }

    /// <summary>P2: true when some version governs the code (a code a later version drops was still governed before).</summary>
    public bool Governs(string cptCode) => _versions.Any(v => v.Governs(cptCode));

    /// <summary>P13: why nothing can be decided for a service before the first version.</summary>
    public PolicyFinding NotInForce(DateOnly date)
    {
        var first = First.Document;
        var history = first.History.FirstOrDefault(h => h.Date == first.Effective)?.Summary;
        return new PolicyFinding(
            FindingKind.PolicyNotInForce,
            "P13",
            string.Create(CultureInfo.InvariantCulture, $"No version of Medical Policy {first.PolicyNumber} was in force on {date:yyyy-MM-dd}: the first, version {first.Version}, took effect on {first.Effective:yyyy-MM-dd}{(history is null ? string.Empty : $" ({history})")}. What applied before it is not on file, so a clinician reviews the request."));
    }
}
