using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Storage;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Contract;

/// <summary>
/// What every storage provider must do, stated once and run against each provider by a subclass.
/// Each test opens its own database, so no test sees another's data.
/// </summary>
public abstract partial class StoreContractTests : IDisposable
{
    // A store that hangs fails its test instead of the whole run.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    protected CancellationToken Cancel => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh, migrated, empty database for one test.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    /// <summary>Opens (and migrates) the stores on a database made by <see cref="CreateDatabaseAsync"/>.</summary>
    protected abstract Task<StoreUnderTest> OpenAsync(string database, TimeProvider? clock = null);

    private async Task<StoreUnderTest> OpenFreshAsync(TimeProvider? clock = null) => await OpenAsync(await CreateDatabaseAsync(), clock);

    [Fact]
    public async Task Save_NewResourceWithoutId_AssignsIdAndVersionOne()
    {
        await using var store = await OpenFreshAsync();
        var patientId = Resources.NewPatientId();

        var saved = Assert.Single(await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(patientId))], Cancel));

        Assert.Equal("Claim", saved.ResourceType);
        Assert.False(string.IsNullOrEmpty(saved.Id));
        Assert.Equal(1, saved.VersionId);
        var read = await store.Resources.ReadAsync("Claim", saved.Id, Cancel);
        Assert.NotNull(read);
        var claim = FhirJson.Parse<Claim>(read.Json);
        Assert.Equal(saved.Id, claim.Id);
        Assert.Equal("1", claim.Meta?.VersionId);
        Assert.Equal(saved.LastUpdated, claim.Meta?.LastUpdated);
        Assert.Equal($"Patient/{patientId}", claim.Patient.Reference);
    }

    [Fact]
    public async Task Read_UnknownId_ReturnsNull()
    {
        await using var store = await OpenFreshAsync();

        Assert.Null(await store.Resources.ReadAsync("Claim", "nothing-here", Cancel));
        Assert.Null(await store.Resources.ReadVersionAsync("Claim", "nothing-here", 1, Cancel));
    }

    [Fact]
    public async Task Save_UpdateOfExistingId_AddsVersionAndKeepsHistory()
    {
        await using var store = await OpenFreshAsync();
        var claim = Resources.Claim(Resources.NewPatientId());
        var first = (await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel))[0];

        claim.Id = first.Id;
        claim.Status = FinancialResourceStatusCodes.Cancelled;
        var second = (await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel))[0];

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.VersionId);
        var current = await store.Resources.ReadAsync("Claim", first.Id, Cancel);
        Assert.Equal(2, current!.VersionId);
        Assert.Equal(FinancialResourceStatusCodes.Cancelled, FhirJson.Parse<Claim>(current.Json).Status);
        var original = await store.Resources.ReadVersionAsync("Claim", first.Id, 1, Cancel);
        Assert.Equal(FinancialResourceStatusCodes.Active, FhirJson.Parse<Claim>(original!.Json).Status);
        Assert.Null(await store.Resources.ReadVersionAsync("Claim", first.Id, 3, Cancel));
    }

    [Fact]
    public async Task Save_CallersResource_IsNotChanged()
    {
        await using var store = await OpenFreshAsync();
        var claim = Resources.Claim(Resources.NewPatientId());

        await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel);

        Assert.Null(claim.Id);
        Assert.Null(claim.Meta);
    }

    /// <summary>The store copies only the resource and its Meta to stamp them: the caller's Meta stays as it was.</summary>
    [Fact]
    public async Task Save_CallersMeta_IsNotChangedAndItsProfileIsKept()
    {
        await using var store = await OpenFreshAsync();
        var claim = Resources.Claim(Resources.NewPatientId());
        claim.Meta = new Meta { VersionId = "7", Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim"] };
        var before = FhirJson.Serialize(claim);

        var saved = Assert.Single(await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel));
        var read = await store.Resources.ReadAsync("Claim", saved.Id, Cancel);
        var stored = FhirJson.Parse<Claim>(read!.Json);

        Assert.Equal(before, FhirJson.Serialize(claim));
        Assert.Null(claim.Id);
        Assert.Equal("7", claim.Meta.VersionId);
        Assert.Equal("1", stored.Meta?.VersionId);
        Assert.Equal(saved.Id, stored.Id);
        Assert.Equal(claim.Meta.Profile, stored.Meta!.Profile);
        Assert.Equal(claim.Patient.Reference, stored.Patient.Reference);
    }

    [Fact]
    public async Task Save_IfMatchStaleVersion_ThrowsVersionConflictAndKeepsCurrent()
    {
        await using var store = await OpenFreshAsync();
        var claim = Resources.Claim(Resources.NewPatientId());
        var first = (await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel))[0];
        claim.Id = first.Id;
        await store.Resources.SaveAsync([new ResourceWrite(claim, IfMatchVersion: 1)], Cancel);

        claim.Status = FinancialResourceStatusCodes.EnteredInError;
        await Assert.ThrowsAsync<VersionConflictException>(() => store.Resources.SaveAsync([new ResourceWrite(claim, IfMatchVersion: 1)], Cancel));

        var current = await store.Resources.ReadAsync("Claim", first.Id, Cancel);
        Assert.Equal(2, current!.VersionId);
        Assert.Equal(FinancialResourceStatusCodes.Active, FhirJson.Parse<Claim>(current.Json).Status);
    }

    [Fact]
    public async Task Save_IfMatchOnMissingResource_ThrowsVersionConflict()
    {
        await using var store = await OpenFreshAsync();
        var claim = Resources.Claim(Resources.NewPatientId());
        claim.Id = "never-created";

        await Assert.ThrowsAsync<VersionConflictException>(() => store.Resources.SaveAsync([new ResourceWrite(claim, IfMatchVersion: 1)], Cancel));
        Assert.Null(await store.Resources.ReadAsync("Claim", "never-created", Cancel));
    }

    [Fact]
    public async Task Save_ConcurrentUpdatesWithSameIfMatch_ExactlyOneSucceeds()
    {
        await using var store = await OpenFreshAsync();
        var created = (await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()))], Cancel))[0];

        var attempts = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            var claim = Resources.Claim("racer");
            claim.Id = created.Id;
            try
            {
                await store.Resources.SaveAsync([new ResourceWrite(claim, IfMatchVersion: 1)], Cancel);
                return true;
            }
            catch (VersionConflictException)
            {
                return false;
            }
        }));
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal(2, (await store.Resources.ReadAsync("Claim", created.Id, Cancel))!.VersionId);
    }

    [Fact]
    public async Task Save_UniqueKeyHeldByAnotherResource_ThrowsDuplicateKey()
    {
        await using var store = await OpenFreshAsync();
        var key = Guid.NewGuid().ToString("N");
        var first = (await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()), UniqueKey: key)], Cancel))[0];

        await Assert.ThrowsAsync<DuplicateKeyException>(() => store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()), UniqueKey: key)], Cancel));

        var holder = await store.Resources.FindByUniqueKeyAsync("Claim", key, Cancel);
        Assert.Equal(first.Id, holder!.Id);
        Assert.Null(await store.Resources.FindByUniqueKeyAsync("ClaimResponse", key, Cancel));
    }

    [Fact]
    public async Task Save_SameUniqueKeyOnOtherType_IsAllowed()
    {
        await using var store = await OpenFreshAsync();
        var key = Guid.NewGuid().ToString("N");
        var patientId = Resources.NewPatientId();

        await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(patientId), UniqueKey: key)], Cancel);
        await store.Resources.SaveAsync([new ResourceWrite(Resources.WithPatient("ClaimResponse", patientId), UniqueKey: key)], Cancel);

        Assert.NotNull(await store.Resources.FindByUniqueKeyAsync("ClaimResponse", key, Cancel));
    }

    [Fact]
    public async Task Save_UpdateWithoutKey_KeepsTheResourcesKey()
    {
        await using var store = await OpenFreshAsync();
        var key = Guid.NewGuid().ToString("N");
        var claim = Resources.Claim(Resources.NewPatientId());
        var first = (await store.Resources.SaveAsync([new ResourceWrite(claim, UniqueKey: key)], Cancel))[0];
        claim.Id = first.Id;

        await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel);

        var holder = await store.Resources.FindByUniqueKeyAsync("Claim", key, Cancel);
        Assert.Equal(2, holder!.VersionId);
    }

    [Fact]
    public async Task Save_SameUniqueKeyRacing_ExactlyOneWins()
    {
        await using var store = await OpenFreshAsync();
        var key = Guid.NewGuid().ToString("N");

        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()), UniqueKey: key)], Cancel);
                return true;
            }
            catch (DuplicateKeyException)
            {
                return false;
            }
        }));
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
        var page = await store.Resources.SearchAsync(new ResourceSearch("Claim") { IncludeTotal = true }, Cancel);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task Save_BatchWhereOneWriteFails_WritesNothing()
    {
        await using var store = await OpenFreshAsync();
        var key = Guid.NewGuid().ToString("N");
        var patientId = Resources.NewPatientId();
        await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(patientId), UniqueKey: key)], Cancel);

        var response = Resources.WithPatient("ClaimResponse", patientId);
        response.Id = "batch-response";
        await Assert.ThrowsAsync<DuplicateKeyException>(() => store.Resources.SaveAsync(
            [new ResourceWrite(response), new ResourceWrite(Resources.Claim(patientId), UniqueKey: key)],
            Cancel));

        Assert.Null(await store.Resources.ReadAsync("ClaimResponse", "batch-response", Cancel));
        var claims = await store.Resources.SearchAsync(new ResourceSearch("Claim") { PatientIds = [patientId], IncludeTotal = true }, Cancel);
        Assert.Equal(1, claims.Total);
    }

    [Fact]
    public async Task Save_BatchOfSeveralTypes_CommitsAllTogether()
    {
        await using var store = await OpenFreshAsync();
        var patientId = Resources.NewPatientId();

        var saved = await store.Resources.SaveAsync(
            [new ResourceWrite(Resources.Claim(patientId)), new ResourceWrite(Resources.WithPatient("ClaimResponse", patientId))],
            Cancel);

        Assert.Equal(["Claim", "ClaimResponse"], saved.Select(resource => resource.ResourceType));
        Assert.All(saved, resource => Assert.Equal(saved[0].LastUpdated, resource.LastUpdated));
        Assert.NotNull(await store.Resources.ReadAsync("ClaimResponse", saved[1].Id, Cancel));
    }

    [Theory]
    [InlineData("Patient")]
    [InlineData("Claim")]
    [InlineData("ClaimResponse")]
    [InlineData("QuestionnaireResponse")]
    [InlineData("Coverage")]
    [InlineData("ExplanationOfBenefit")]
    [InlineData("Consent")]
    [InlineData("AuditEvent")]
    public async Task Search_ByPatient_FindsOnlyThatPatientsResources(string resourceType)
    {
        await using var store = await OpenFreshAsync();
        var patientId = Resources.NewPatientId();
        var saved = await store.Resources.SaveAsync(
            [new ResourceWrite(Resources.WithPatient(resourceType, patientId)), new ResourceWrite(Resources.WithPatient(resourceType, Resources.NewPatientId()))],
            Cancel);

        var page = await store.Resources.SearchAsync(new ResourceSearch(resourceType) { PatientIds = [patientId] }, Cancel);

        Assert.Equal(saved[0].Id, Assert.Single(page.Resources).Id);
    }

    [Fact]
    public async Task Search_ByStatus_FindsOnlyMatchingStatus()
    {
        await using var store = await OpenFreshAsync();
        var patientId = Resources.NewPatientId();
        var saved = await store.Resources.SaveAsync(
            [new ResourceWrite(Resources.Claim(patientId, status: FinancialResourceStatusCodes.Cancelled)), new ResourceWrite(Resources.Claim(patientId))],
            Cancel);

        var page = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Statuses = ["cancelled"] }, Cancel);

        Assert.Equal(saved[0].Id, Assert.Single(page.Resources).Id);
    }

    [Fact]
    public async Task Search_ByOutcome_FindsResponsesWhoseCurrentVersionHasIt()
    {
        await using var store = await OpenFreshAsync();
        var patientId = Resources.NewPatientId();
        var saved = await store.Resources.SaveAsync(
            [
                new ResourceWrite(Resources.ClaimResponse(patientId, ClaimProcessingCodes.Partial)),
                new ResourceWrite(Resources.ClaimResponse(patientId, ClaimProcessingCodes.Complete)),
                new ResourceWrite(Resources.ClaimResponse(patientId, ClaimProcessingCodes.Partial)),
            ],
            Cancel);

        // A reviewer finishes the third: its new version is complete, so it leaves the "partial" list.
        var update = FhirJson.Parse<ClaimResponse>(saved[2].Json);
        update.Outcome = ClaimProcessingCodes.Complete;
        await store.Resources.SaveAsync([new ResourceWrite(update, IfMatchVersion: 1)], Cancel);

        var page = await store.Resources.SearchAsync(new ResourceSearch("ClaimResponse") { Outcome = "partial", PatientIds = [patientId] }, Cancel);

        Assert.Equal(saved[0].Id, Assert.Single(page.Resources).Id);
    }

    [Fact]
    public async Task Search_ById_FindsThatResourceOnly()
    {
        await using var store = await OpenFreshAsync();
        var saved = await store.Resources.SaveAsync(
            [new ResourceWrite(Resources.Claim(Resources.NewPatientId())), new ResourceWrite(Resources.Claim(Resources.NewPatientId()))],
            Cancel);

        var page = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Ids = [saved[1].Id] }, Cancel);

        Assert.Equal(saved[1].Id, Assert.Single(page.Resources).Id);
    }

    [Fact]
    public async Task Search_ByCreatedRange_FindsResourcesCreatedInsideIt()
    {
        await using var store = await OpenFreshAsync();
        var patientId = Resources.NewPatientId();
        var saved = await store.Resources.SaveAsync(
            [
                new ResourceWrite(Resources.Claim(patientId, created: "2026-01-10")),
                new ResourceWrite(Resources.Claim(patientId, created: "2026-02-10T09:30:00Z")),
                new ResourceWrite(Resources.Claim(patientId, created: "2026-03-10")),
            ],
            Cancel);

        var page = await store.Resources.SearchAsync(
            new ResourceSearch("Claim") { CreatedFrom = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), CreatedTo = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero) },
            Cancel);

        Assert.Equal(saved[1].Id, Assert.Single(page.Resources).Id);
    }

    [Fact]
    public async Task Search_QuestionnaireResponseByAuthored_UsesAuthoredAsCreated()
    {
        await using var store = await OpenFreshAsync();
        var answers = new QuestionnaireResponse { Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed, AuthoredElement = new FhirDateTime("2026-05-05T10:00:00Z") };
        var saved = (await store.Resources.SaveAsync([new ResourceWrite(answers)], Cancel))[0];

        var inside = await store.Resources.SearchAsync(new ResourceSearch("QuestionnaireResponse") { CreatedFrom = new DateTimeOffset(2026, 5, 5, 0, 0, 0, TimeSpan.Zero) }, Cancel);
        var outside = await store.Resources.SearchAsync(new ResourceSearch("QuestionnaireResponse") { CreatedTo = new DateTimeOffset(2026, 5, 4, 0, 0, 0, TimeSpan.Zero) }, Cancel);

        Assert.Equal(saved.Id, Assert.Single(inside.Resources).Id);
        Assert.Empty(outside.Resources);
    }

    [Fact]
    public async Task Search_ByLastUpdatedRange_FindsResourcesWrittenInsideIt()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var store = await OpenFreshAsync(clock);
        var before = (await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()))], Cancel))[0];
        clock.Advance(TimeSpan.FromHours(1));
        var during = (await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()))], Cancel))[0];
        clock.Advance(TimeSpan.FromHours(1));
        await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()))], Cancel);

        var page = await store.Resources.SearchAsync(
            new ResourceSearch("Claim") { LastUpdatedFrom = during.LastUpdated, LastUpdatedTo = during.LastUpdated.AddMinutes(30) },
            Cancel);

        Assert.Equal(during.Id, Assert.Single(page.Resources).Id);
        Assert.NotEqual(before.Id, during.Id);
    }

    [Fact]
    public async Task Search_ByIdentifier_MatchesValueWithOrWithoutSystem()
    {
        await using var store = await OpenFreshAsync();
        var value = Guid.NewGuid().ToString("N");
        var saved = await store.Resources.SaveAsync(
            [new ResourceWrite(Resources.Claim(Resources.NewPatientId(), identifier: value)), new ResourceWrite(Resources.Claim(Resources.NewPatientId(), identifier: "other"))],
            Cancel);

        var anySystem = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new(null, value)]] }, Cancel);
        var rightSystem = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new("https://ehr.example.org/claims", value)]] }, Cancel);
        var wrongSystem = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new("https://elsewhere.example.org", value)]] }, Cancel);

        Assert.Equal(saved[0].Id, Assert.Single(anySystem.Resources).Id);
        Assert.Equal(saved[0].Id, Assert.Single(rightSystem.Resources).Id);
        Assert.Empty(wrongSystem.Resources);
    }

    [Fact]
    public async Task Search_AnyOfIdsStatusesAndIdentifiers_MatchesEachListedValue()
    {
        await using var store = await OpenFreshAsync();
        var patientId = Resources.NewPatientId();
        var (first, second) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        var saved = await store.Resources.SaveAsync(
            [
                new ResourceWrite(Resources.Claim(patientId, identifier: first)),
                new ResourceWrite(Resources.Claim(patientId, identifier: second, status: FinancialResourceStatusCodes.Cancelled)),
                new ResourceWrite(Resources.Claim(patientId, identifier: "third", status: FinancialResourceStatusCodes.Draft)),
            ],
            Cancel);

        var byIds = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Ids = [saved[0].Id, saved[2].Id] }, Cancel);
        var byStatuses = await store.Resources.SearchAsync(new ResourceSearch("Claim") { PatientIds = [patientId], Statuses = ["active", "cancelled"] }, Cancel);
        var byIdentifiers = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new(null, first), new("https://ehr.example.org/claims", second)]] }, Cancel);
        var bothGroups = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new(null, first)], [new(null, second)]] }, Cancel);

        Assert.Equal(new[] { saved[0].Id, saved[2].Id }.Order(), byIds.Resources.Select(r => r.Id).Order());
        Assert.Equal(new[] { saved[0].Id, saved[1].Id }.Order(), byStatuses.Resources.Select(r => r.Id).Order());
        Assert.Equal(new[] { saved[0].Id, saved[1].Id }.Order(), byIdentifiers.Resources.Select(r => r.Id).Order());
        Assert.Empty(bothGroups.Resources);
    }

    [Fact]
    public async Task Search_ByIdentifierSystemOnlyOrNoSystem_MatchesAsFhirTokensDo()
    {
        await using var store = await OpenFreshAsync();
        var value = Guid.NewGuid().ToString("N");
        var withoutSystem = Resources.Claim(Resources.NewPatientId(), identifier: value);
        withoutSystem.Identifier[0].System = null;
        var saved = await store.Resources.SaveAsync(
            [new ResourceWrite(Resources.Claim(Resources.NewPatientId(), identifier: value)), new ResourceWrite(withoutSystem)],
            Cancel);

        var inSystem = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Ids = [saved[0].Id, saved[1].Id], Identifiers = [[new("https://ehr.example.org/claims", null)]] }, Cancel);
        var noSystem = await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new("", value)]] }, Cancel);

        Assert.Equal(saved[0].Id, Assert.Single(inSystem.Resources).Id);
        Assert.Equal(saved[1].Id, Assert.Single(noSystem.Resources).Id);
    }

    [Fact]
    public async Task Search_AfterUpdateRemovesIdentifier_NoLongerFindsIt()
    {
        await using var store = await OpenFreshAsync();
        var value = Guid.NewGuid().ToString("N");
        var claim = Resources.Claim(Resources.NewPatientId(), identifier: value);
        claim.Id = (await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel))[0].Id;

        claim.Identifier = [new Identifier("https://ehr.example.org/claims", "replacement")];
        await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel);

        Assert.Empty((await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new(null, value)]] }, Cancel)).Resources);
        Assert.Single((await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new(null, "replacement")]] }, Cancel)).Resources);
    }

    [Fact]
    public async Task Search_DefaultOrder_IsNewestFirstWithCurrentVersionsOnly()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var store = await OpenFreshAsync(clock);
        var claim = Resources.Claim(Resources.NewPatientId());
        var older = (await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel))[0];
        clock.Advance(TimeSpan.FromSeconds(1));
        var newer = (await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()))], Cancel))[0];
        clock.Advance(TimeSpan.FromSeconds(1));
        claim.Id = older.Id;
        await store.Resources.SaveAsync([new ResourceWrite(claim)], Cancel);

        var newestFirst = await store.Resources.SearchAsync(new ResourceSearch("Claim"), Cancel);
        var oldestFirst = await store.Resources.SearchAsync(new ResourceSearch("Claim") { NewestFirst = false }, Cancel);

        Assert.Equal([(older.Id, 2), (newer.Id, 1)], newestFirst.Resources.Select(resource => (resource.Id, resource.VersionId)));
        Assert.Equal([newer.Id, older.Id], oldestFirst.Resources.Select(resource => resource.Id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Search_PagingThroughAll_ReturnsEachResourceExactlyOnce(bool newestFirst)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var store = await OpenFreshAsync(clock);
        var patientId = Resources.NewPatientId();
        var expected = new HashSet<string>();
        for (var batch = 0; batch < 5; batch++)
        {
            // Several resources share each instant, so the id must break ties correctly.
            var saved = await store.Resources.SaveAsync(Enumerable.Range(0, 5).Select(_ => new ResourceWrite(Resources.Claim(patientId))).ToList(), Cancel);
            expected.UnionWith(saved.Select(resource => resource.Id));
            clock.Advance(TimeSpan.FromMilliseconds(3));
        }

        var seen = new List<string>();
        var search = new ResourceSearch("Claim") { PatientIds = [patientId], Count = 7, NewestFirst = newestFirst, IncludeTotal = true };
        var pages = 0;
        while (true)
        {
            var page = await store.Resources.SearchAsync(search, Cancel);
            Assert.Equal(25, page.Total);
            seen.AddRange(page.Resources.Select(resource => resource.Id));
            pages++;
            if (page.Next is null)
            {
                break;
            }

            search = search with { After = page.Next };
        }

        Assert.Equal(4, pages);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(expected.Order(), seen.Order());
    }

    [Fact]
    public async Task Search_NewResourceWrittenBetweenPages_DoesNotRepeatOrSkipOlderOnes()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var store = await OpenFreshAsync(clock);
        var patientId = Resources.NewPatientId();
        var expected = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            expected.Add((await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(patientId))], Cancel))[0].Id);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await store.Resources.SearchAsync(new ResourceSearch("Claim") { PatientIds = [patientId], Count = 3 }, Cancel);
        await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(patientId))], Cancel);
        var second = await store.Resources.SearchAsync(new ResourceSearch("Claim") { PatientIds = [patientId], Count = 3, After = first.Next }, Cancel);

        expected.Reverse();
        Assert.Equal(expected, first.Resources.Concat(second.Resources).Select(resource => resource.Id));
    }

    [Fact]
    public async Task Search_CountAboveCap_ReturnsAtMostOneThousand()
    {
        await using var store = await OpenFreshAsync();
        await store.Resources.SaveAsync(Enumerable.Range(0, ResourceSearch.MaxCount + 1).Select(_ => new ResourceWrite(new Patient())).ToList(), Cancel);

        var page = await store.Resources.SearchAsync(new ResourceSearch("Patient") { Count = 50_000 }, Cancel);

        Assert.Equal(ResourceSearch.MaxCount, page.Resources.Count);
        Assert.NotNull(page.Next);
    }

    [Fact]
    public async Task Search_CountZero_ReturnsTotalOnly()
    {
        await using var store = await OpenFreshAsync();
        var patientId = Resources.NewPatientId();
        await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(patientId)), new ResourceWrite(Resources.Claim(patientId))], Cancel);

        var page = await store.Resources.SearchAsync(new ResourceSearch("Claim") { PatientIds = [patientId], Count = 0, IncludeTotal = true }, Cancel);

        Assert.Empty(page.Resources);
        Assert.Null(page.Next);
        Assert.Equal(2, page.Total);
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("azE")]
    [InlineData("a2F8MTIzfGlk")]
    public async Task Search_TamperedPageToken_ThrowsInvalidSearch(string token)
    {
        await using var store = await OpenFreshAsync();

        await Assert.ThrowsAsync<InvalidSearchException>(() => store.Resources.SearchAsync(new ResourceSearch("Claim") { After = token }, Cancel));
    }

    [Fact]
    public async Task ReplayCache_SameTokenTwice_RefusesTheSecond()
    {
        await using var store = await OpenFreshAsync();
        var jti = Guid.NewGuid().ToString();
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);

        Assert.True(await store.Replay.TryRecordAsync("https://ehr.example.org", jti, expires, Cancel));
        Assert.False(await store.Replay.TryRecordAsync("https://ehr.example.org", jti, expires, Cancel));
        Assert.True(await store.Replay.TryRecordAsync("https://other-ehr.example.org", jti, expires, Cancel));
    }

    [Fact]
    public async Task ReplayCache_AfterExpiry_AcceptsTheIdAgain()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var store = await OpenFreshAsync(clock);
        var jti = Guid.NewGuid().ToString();

        Assert.True(await store.Replay.TryRecordAsync("https://ehr.example.org", jti, clock.GetUtcNow().AddMinutes(5), Cancel));
        clock.Advance(TimeSpan.FromMinutes(6));

        Assert.True(await store.Replay.TryRecordAsync("https://ehr.example.org", jti, clock.GetUtcNow().AddMinutes(5), Cancel));
        Assert.False(await store.Replay.TryRecordAsync("https://ehr.example.org", jti, clock.GetUtcNow().AddMinutes(5), Cancel));
    }

    [Fact]
    public async Task ReplayCache_Purge_RemovesOnlyExpiredIds()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var store = await OpenFreshAsync(clock);
        var live = Guid.NewGuid().ToString();
        await store.Replay.TryRecordAsync("https://ehr.example.org", "soon-1", clock.GetUtcNow().AddMinutes(1), Cancel);
        await store.Replay.TryRecordAsync("https://ehr.example.org", "soon-2", clock.GetUtcNow().AddMinutes(2), Cancel);
        await store.Replay.TryRecordAsync("https://ehr.example.org", live, clock.GetUtcNow().AddMinutes(30), Cancel);
        clock.Advance(TimeSpan.FromMinutes(5));

        var purged = await store.PurgeExpiredTokens(Cancel);

        Assert.Equal(2, purged);
        Assert.Equal(0, await store.PurgeExpiredTokens(Cancel));
        Assert.False(await store.Replay.TryRecordAsync("https://ehr.example.org", live, clock.GetUtcNow().AddMinutes(30), Cancel));
    }

    [Fact]
    public async Task ReplayCache_SameTokenRacing_AcceptsExactlyOnce()
    {
        await using var store = await OpenFreshAsync();
        var jti = Guid.NewGuid().ToString();
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => store.Replay.TryRecordAsync("https://ehr.example.org", jti, expires, Cancel))));

        Assert.Equal(1, outcomes.Count(accepted => accepted));
    }

    [Fact]
    public async Task CoverageAssertions_SaveThenFind_RoundTripsEveryField()
    {
        await using var store = await OpenFreshAsync();
        var assertion = new CoverageAssertion
        {
            AssertionId = Guid.NewGuid().ToString("N"),
            OrderReference = "ServiceRequest/sr-1",
            PatientId = Resources.NewPatientId(),
            CoverageReference = "Coverage/c1",
            CptCode = "64483",
            ProductLine = "commercial",
            Covered = "conditional",
            PaNeeded = "auth-needed",
            DocumentationNeeded = true,
            QuestionnaireCanonical = "https://spinepolicy.example.org/fhir/Questionnaire/q|1",
            Lines =
            [
                new CoverageAssertionLine { CptCode = "64483", Covered = "conditional", PaNeeded = "auth-needed", DocumentationNeeded = true, QuestionnaireCanonical = "https://spinepolicy.example.org/fhir/Questionnaire/q|1" },
                new CoverageAssertionLine { CptCode = "64484", Covered = "conditional", PaNeeded = "auth-needed", DocumentationNeeded = true, QuestionnaireCanonical = "https://spinepolicy.example.org/fhir/Questionnaire/q|1" },
            ],
            PolicyVersion = "2026-01",
            Hook = "order-sign",
            AssertedAt = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero),
        };

        await store.Assertions.SaveAsync([assertion], Cancel);

        var found = await store.Assertions.FindAsync(assertion.AssertionId, Cancel);
        Assert.NotNull(found);
        // The lines compare as a sequence (a record compares a list by reference).
        Assert.Equal(assertion.Lines, found.Lines);
        IReadOnlyList<CoverageAssertionLine> noLines = Array.Empty<CoverageAssertionLine>();
        Assert.Equal(assertion with { Lines = noLines }, found with { Lines = noLines });
        Assert.Null(await store.Assertions.FindAsync("unknown", Cancel));
    }

    [Fact]
    public async Task CoverageAssertions_SavedAgain_ReplacesTheEarlierOne()
    {
        await using var store = await OpenFreshAsync();
        var assertion = new CoverageAssertion
        {
            AssertionId = Guid.NewGuid().ToString("N"),
            OrderReference = "ServiceRequest/sr-2",
            CptCode = "64490",
            ProductLine = "medicare",
            Covered = "conditional",
            PolicyVersion = "2026-01",
            Hook = "order-select",
            AssertedAt = DateTimeOffset.UnixEpoch,
        };
        await store.Assertions.SaveAsync([assertion], Cancel);

        await store.Assertions.SaveAsync([assertion with { Hook = "order-sign", Covered = "covered" }], Cancel);

        var found = await store.Assertions.FindAsync(assertion.AssertionId, Cancel);
        Assert.Equal("order-sign", found!.Hook);
        Assert.Equal("covered", found.Covered);
    }

    [Fact]
    public async Task Health_OnMigratedDatabase_IsReachable()
    {
        await using var store = await OpenFreshAsync();

        Assert.True(await store.Health.IsReachableAsync(Cancel));
    }

    [Fact]
    public async Task Reopen_SameDatabase_KeepsEverythingWritten()
    {
        var database = await CreateDatabaseAsync();
        var key = Guid.NewGuid().ToString("N");
        string id;
        await using (var first = await OpenAsync(database))
        {
            var claim = Resources.Claim(Resources.NewPatientId());
            id = (await first.Resources.SaveAsync([new ResourceWrite(claim, UniqueKey: key)], Cancel))[0].Id;
            claim.Id = id;
            await first.Resources.SaveAsync([new ResourceWrite(claim)], Cancel);
            await first.Replay.TryRecordAsync("https://ehr.example.org", key, DateTimeOffset.UtcNow.AddMinutes(5), Cancel);
        }

        await using var second = await OpenAsync(database);

        Assert.Equal(2, (await second.Resources.ReadAsync("Claim", id, Cancel))!.VersionId);
        Assert.NotNull(await second.Resources.ReadVersionAsync("Claim", id, 1, Cancel));
        Assert.Equal(id, (await second.Resources.FindByUniqueKeyAsync("Claim", key, Cancel))!.Id);
        Assert.False(await second.Replay.TryRecordAsync("https://ehr.example.org", key, DateTimeOffset.UtcNow.AddMinutes(5), Cancel));
    }
}
