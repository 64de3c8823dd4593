using System.Diagnostics;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Xunit.Sdk;

namespace SpinePolicy.TestKit.Validation;

/// <summary>
/// Validates resources against the HL7 profiles of the vendored packages with the Firely validator.
/// Loading core plus the packages costs seconds, so one instance serves the whole test process
/// (<see cref="Shared"/>). Firely's Validator and resolvers are not thread-safe, so calls are
/// serialized; a validation takes milliseconds once the profiles are compiled.
/// </summary>
public sealed class FhirProfileValidation
{
    /// <summary>CRD 2.0.1's Patient profile cannot be compiled by Firely (a value discriminator into a
    /// parent's pattern); patients are validated against the US Core profile it derives from.</summary>
    public const string CrdPatientProfile = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/profile-patient";

    public const string UsCorePatientProfile = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient";

    private static readonly Lazy<FhirProfileValidation> SharedInstance = new(() => new FhirProfileValidation(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lock _gate = new();
    private readonly Validator _validator;
    private readonly CachedResolver _resolver;

    private FhirProfileValidation()
    {
        var started = Stopwatch.StartNew();
        PackageFolders = FhirPackageCache.ExtractAll();

        // No SnapshotSource: every package ships snapshots, and regenerating them is slow and wrong
        // (see /tests/TestKit/Validation/README.md).
        var sources = new List<IResourceResolver> { ZipSource.CreateValidationSource() };
        sources.AddRange(PackageFolders.Select(folder => (IResourceResolver)new DirectorySource(folder)));
        _resolver = new CachedResolver(new MultiResolver(sources));

        var terminology = new LocalTerminologyService(_resolver);
        var settings = new ValidationSettings
        {
            // A resource that claims the CRD patient profile in meta.profile is held to US Core instead.
            SelectValidationProfiles = (_, declared, _, _) => declared.Select(p => new Firely.Fhir.Validation.Canonical(RedirectProfile(p.ToString()))).Distinct().ToArray(),
        };
        _validator = new Validator(_resolver, terminology, null, settings);
        LoadTime = started.Elapsed;
    }

    /// <summary>The one instance for this test process, built on first use.</summary>
    public static FhirProfileValidation Shared => SharedInstance.Value;

    /// <summary>The extracted package folders in use (for diagnostics).</summary>
    public IReadOnlyList<string> PackageFolders { get; }

    /// <summary>How long loading took (for diagnostics).</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>
    /// Validates <paramref name="resource"/> against each profile given, or, with none, against its
    /// declared meta.profile and its base type. Returns every issue that is not known noise.
    /// </summary>
    public ValidationResult Validate(Resource resource, params string[] profileUrls)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var profiles = profileUrls.Length == 0
            ? [$"http://hl7.org/fhir/StructureDefinition/{resource.TypeName}"]
            : profileUrls.Select(RedirectProfile).Distinct(StringComparer.Ordinal).ToArray();

        foreach (var profile in profiles)
        {
            if (TryResolveProfile(profile) is null)
            {
                throw new ArgumentException($"Profile {profile} is not in any vendored package; a typo would make validation meaningless.", nameof(profileUrls));
            }
        }

        var issues = new List<ValidationIssue>();
        lock (_gate)
        {
            foreach (var profile in profiles)
            {
                issues.AddRange(Flatten(_validator.Validate(resource, profile)));
            }
        }

        var distinct = issues.Distinct().ToList();
        return new ValidationResult(
            profiles,
            distinct.Where(i => !KnownValidatorNoise.IsNoise(i)).ToList(),
            distinct.Where(KnownValidatorNoise.IsNoise).ToList());
    }

    /// <summary>Fails the test, listing every error, unless the resource conforms to the profile.</summary>
    public ValidationResult AssertConforms(Resource resource, string profileUrl)
    {
        var result = Validate(resource, profileUrl);
        if (!result.Conforms)
        {
            throw new XunitException(
                $"{resource.TypeName}/{resource.Id} does not conform to {profileUrl}:{Environment.NewLine}{result.DescribeErrors()}");
        }

        return result;
    }

    /// <summary>Looks a conformance resource up by canonical URL in core and the packages.</summary>
    public Resource? TryResolveProfile(string canonicalUrl)
    {
        lock (_gate)
        {
            // Blocking is fine here: a test helper, and the resolver reads local files only.
            return _resolver.ResolveByCanonicalUriAsync(canonicalUrl).GetAwaiter().GetResult();
        }
    }

    private static string RedirectProfile(string profile) =>
        profile.StartsWith(CrdPatientProfile, StringComparison.Ordinal) ? UsCorePatientProfile : profile;

    private static IEnumerable<ValidationIssue> Flatten(OperationOutcome outcome) =>
        outcome.Issue.Select(issue => new ValidationIssue(
            issue.Severity ?? OperationOutcome.IssueSeverity.Error,
            issue.Code ?? OperationOutcome.IssueType.Unknown,
            issue.Details?.Coding.FirstOrDefault()?.Code,
            issue.Expression.FirstOrDefault() ?? issue.Location.FirstOrDefault() ?? string.Empty,
            issue.Details?.Text ?? issue.Diagnostics ?? string.Empty));
}
