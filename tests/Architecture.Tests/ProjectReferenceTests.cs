using System.Reflection;
using System.Xml.Linq;
using SpinePolicy.TestKit;

namespace SpinePolicy.Architecture.Tests;

/// <summary>
/// Keeps the layering honest: each src project references only what the allowed table permits,
/// nothing references the Server, and the policy engine stays free of HTTP, FHIR and storage.
/// Checked twice: in the csproj files (what is declared) and in the compiled assemblies (what is used).
/// </summary>
public sealed class ProjectReferenceTests
{
    private static string SourceRoot => Path.Combine(RepositoryPaths.Root, "src");

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var name in ProjectReferenceRules.Allowed.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void SourceProjects_EveryCsproj_IsInTheAllowedTable()
    {
        // node_modules (the DTR app's npm packages, after `npm ci`) may ship sample projects of their own.
        var onDisk = Directory.GetFiles(SourceRoot, "*.csproj", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => Path.GetFileName(Path.GetDirectoryName(path)!))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(onDisk);
        Assert.All(onDisk, name => Assert.True(
            ProjectReferenceRules.Allowed.ContainsKey(name),
            $"src/{name} is not in the allowed-references table (ProjectReferenceRules); decide where it sits."));
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ProjectReferences_DeclaredInCsproj_FollowAllowedTable(string project)
    {
        var declared = DeclaredProjectReferences(project);

        var forbidden = declared.Except(ProjectReferenceRules.Allowed[project], StringComparer.Ordinal).ToList();

        Assert.True(forbidden.Count == 0, $"src/{project} references {string.Join(", ", forbidden)}, which the table does not allow.");
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void ProjectReferences_CompiledAssembly_FollowAllowedTable(string project)
    {
        var assembly = Assembly.Load($"SpinePolicy.{project}");

        var used = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => name.StartsWith("SpinePolicy.", StringComparison.Ordinal))
            .Select(name => name["SpinePolicy.".Length..])
            .ToList();

        var forbidden = used.Except(ProjectReferenceRules.Allowed[project], StringComparer.Ordinal).ToList();
        Assert.True(forbidden.Count == 0, $"SpinePolicy.{project} uses {string.Join(", ", forbidden)}, which the table does not allow.");
    }

    [Fact]
    public void Server_ReferencedByAnySourceProject_Never()
    {
        var referencingServer = ProjectReferenceRules.Allowed.Keys
            .Where(project => DeclaredProjectReferences(project).Contains("Server", StringComparer.Ordinal))
            .ToList();

        Assert.Empty(referencingServer);
    }

    [Theory]
    [InlineData("Storage")]
    [InlineData("CdsHooks")]
    [InlineData("FhirQuestionnaire")]
    [InlineData("PriorAuthorization")]
    [InlineData("FhirRest")]
    public void StoreCoreAndSlices_CompiledAssembly_UseNoDatabaseDriver(string project)
    {
        var assembly = Assembly.Load($"SpinePolicy.{project}");

        var drivers = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => ProjectReferenceRules.DatabaseDrivers.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.True(drivers.Count == 0, $"SpinePolicy.{project} uses {string.Join(", ", drivers)}; only the provider projects (Storage.Sqlite, Storage.Postgres) may.");
    }

    [Fact]
    public void PolicyEngine_Csproj_DeclaresNoPackagesFrameworksOrProjects()
    {
        var csproj = XDocument.Load(Path.Combine(SourceRoot, "PolicyEngine", "PolicyEngine.csproj"));

        var references = csproj.Descendants()
            .Where(e => e.Name.LocalName is "PackageReference" or "FrameworkReference" or "ProjectReference" or "Reference")
            .Select(e => $"{e.Name.LocalName} {e.Attribute("Include")?.Value}")
            .ToList();

        Assert.Empty(references);
    }

    [Fact]
    public void PolicyEngine_CompiledAssembly_UsesNoAspNetFirelyOrStorageDriver()
    {
        var engine = Assembly.Load("SpinePolicy.PolicyEngine");

        var offending = engine.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => ProjectReferenceRules.ForbiddenForEngine.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void PolicyEngine_CompiledAssembly_ReferencesOnlyTheBaseClassLibrary()
    {
        var engine = Assembly.Load("SpinePolicy.PolicyEngine");

        var nonBcl = engine.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => !(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib"))
            .ToList();

        Assert.Empty(nonBcl);
    }

    private static List<string> DeclaredProjectReferences(string project)
    {
        var path = Path.Combine(SourceRoot, project, $"{project}.csproj");
        var csproj = XDocument.Load(path);
        return csproj.Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => e.Attribute("Include")?.Value ?? string.Empty)
            .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
            .ToList();
    }
}
