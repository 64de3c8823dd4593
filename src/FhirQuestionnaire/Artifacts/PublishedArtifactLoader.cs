using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// Reads fhir-resources/{Type}-{id}.json and checks what the DTR operations rely on: every file
/// parses, ids match file names, canonicals are unique, each service family's questionnaire exists
/// at the policy's version, every cqf-library, answerValueSet and depends-on resolves, every coded
/// item names a criterion of its family, and every Library carries both CQL and ELM. Each
/// standard questionnaire of the policy gets its adaptive twin (<see cref="AdaptiveQuestionnaires"/>).
/// The version ledger (<see cref="ArtifactVersionHistory"/>) tells which older versions were ours.
/// </summary>
internal static class PublishedArtifactLoader
{
    public static PublishedArtifacts Load(string directory, Policy policy)
    {
        if (!Directory.Exists(directory))
        {
            throw new PublishedArtifactException([$"The folder '{directory}' does not exist."]);
        }

        var problems = new List<string>();
        var resources = new List<IVersionableConformanceResource>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            if (ReadFile(path, problems) is { } resource)
            {
                resources.Add(resource);
            }
        }

        // The adaptive twin of each standard questionnaire of the policy (DTR adapt-search).
        resources.AddRange(resources.OfType<Questionnaire>()
            .Where(q => !AdaptiveQuestionnaires.IsAdaptive(q) && policy.FindFamilyByQuestionnaire(q.Url ?? string.Empty) is not null)
            .Select(AdaptiveQuestionnaires.TwinOf)
            .ToList());

        var duplicates = resources.GroupBy(r => $"{r.Url}|{r.Version}", StringComparer.Ordinal).Where(g => g.Count() > 1);
        problems.AddRange(duplicates.Select(d => $"Canonical {d.Key} is published more than once."));
        if (problems.Count > 0)
        {
            throw new PublishedArtifactException(problems);
        }

        var history = ArtifactVersionHistory.Read(directory, problems);
        if (problems.Count > 0)
        {
            throw new PublishedArtifactException(problems);
        }

        var artifacts = new PublishedArtifacts(resources, history);
        PublishedArtifactChecks.Check(artifacts, policy, problems);
        if (problems.Count > 0)
        {
            throw new PublishedArtifactException(problems);
        }

        // Checked and never changed from here on: each is serialized once, when first served.
        foreach (var resource in resources)
        {
            SerializedOnce.Register((Resource)resource);
        }

        return artifacts;
    }

    private static IVersionableConformanceResource? ReadFile(string path, List<string> problems)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !PublishedArtifacts.PublishedTypes.Contains(name[..dash]))
        {
            // Other documents (the policy itself lives in policy/) are not DTR artefacts.
            return null;
        }

        Resource resource;
        try
        {
            resource = FhirJson.Parse<Resource>(File.ReadAllText(path));
        }
        catch (FhirHttpException ex)
        {
            problems.Add($"{Path.GetFileName(path)}: {ex.Message}");
            return null;
        }

        var (type, id) = (name[..dash], name[(dash + 1)..]);
        if (resource.TypeName != type || resource.Id != id)
        {
            problems.Add($"{Path.GetFileName(path)} holds {resource.TypeName}/{resource.Id}; the file name must be {resource.TypeName}-{resource.Id}.json.");
            return null;
        }

        if (resource is not IVersionableConformanceResource metadata || string.IsNullOrEmpty(metadata.Url) || string.IsNullOrEmpty(metadata.Version))
        {
            problems.Add($"{Path.GetFileName(path)} has no canonical url and version.");
            return null;
        }

        return metadata;
    }
}
