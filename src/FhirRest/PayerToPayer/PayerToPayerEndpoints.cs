using System.Diagnostics;
using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirRest.Rest;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>HRex $member-match and the PDex prior-authorization EOBs it unlocks.</summary>
internal static partial class PayerToPayerEndpoints
{
    public const string MemberMatchInProfile = "http://hl7.org/fhir/us/davinci-hrex/StructureDefinition/hrex-parameters-member-match-in";
    public const string MemberMatchOutProfile = "http://hl7.org/fhir/us/davinci-hrex/StructureDefinition/hrex-parameters-member-match-out";
    private const string IdentifierTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203";

    /// <summary>The one answer to a match that found no member or several: it says neither which nor how many.</summary>
    private const string NoUniqueMatch = "No unique member matched the MemberPatient and CoverageToMatch.";

    public static void Map(RouteGroupBuilder fhir)
    {
        fhir.MapPost("/Patient/$member-match", MemberMatchAsync).RequireFhirScope("Patient", FhirAccess.Read);
        fhir.MapFhirSearch("/ExplanationOfBenefit", SearchExplanationOfBenefitAsync).RequireFhirScope("ExplanationOfBenefit", FhirAccess.Search);
    }

    public static async Task<FhirResult> MemberMatchAsync(
        HttpContext context,
        FhirCallers callers,
        MemberMatcher matcher,
        MemberMatchAttemptGuard guard,
        PayerToPayerGrants grants,
        IOptions<PayerToPayerOptions> options,
        MemberCoverageOptions memberCoverage,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(PayerToPayerEndpoints));
        var started = Stopwatch.GetTimestamp();
        var caller = callers.Of(context);
        if (!(caller.Unrestricted || caller.Role == ClientRole.PayerPartner))
        {
            throw FhirHttpException.Forbidden("Patient/$member-match is for other payers (payer-to-payer clients) only.");
        }

        // Logs name the client id; grants and the lockout belong to the issuer and client id together.
        var clientId = caller.ClientId ?? "anonymous";
        var partner = PartnerKey.Of(caller);
        var request = MemberMatchRequest.From(await FhirRequestBody.ReadAsync<Parameters>(context.Request, cancellationToken));

        // A list of guesses in one request would get round the lockout, which counts requests.
        if (MemberMatcher.TooManyGuesses(request) is { } tooMany)
        {
            var refusedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogOutcome(logger, clientId, "too-many-candidates", refusedMs);
            return FhirResult.Error(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.TooCostly, tooMany);
        }

        // The consent is checked before any lookup, so a refused consent reveals nothing about
        // membership, and counts for nothing towards the lockout (a consent written for another
        // payer included: it probes no member either).
        var ours = options.Value.PayerIdentifiers.Count > 0 ? options.Value.PayerIdentifiers : memberCoverage.PayorIdentifiers;
        if (ConsentEvaluator.Problem(request.Consent, request.MemberPatient, time.GetUtcNow(), ours, caller.PartnerIdentifiers) is { } problem)
        {
            var refusedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogOutcome(logger, clientId, "consent-refused", refusedMs);
            return FhirResult.Error(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.Processing, "Consent cannot be honoured: " + problem);
        }

        // The lockout is checked on requests that would look a member up: a malformed body or a
        // refused consent probes nothing and counts for nothing.
        var attempt = await guard.BeginAsync(partner, cancellationToken);
        if (attempt.RetryAfter is { } wait)
        {
            LogLockedOut(logger, clientId);
            return FhirResult.Error(StatusCodes.Status429TooManyRequests, OperationOutcome.IssueType.Throttled,
                    attempt.LockedOut
                        ? "Too many unsuccessful member matches; try again later."
                        : "Too many member matches in progress for this client; retry shortly.")
                .WithHeader("Retry-After", Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        var outcome = await matcher.MatchAsync(request, cancellationToken);
        if (outcome.Result != MemberMatchResult.Matched)
        {
            await guard.FailedAsync(attempt, cancellationToken);
            var failedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            // The log tells operators which (several matches point at a duplicate in the roster);
            // the caller gets one answer for both, or "several" would confirm that the person
            // guessed is a member (HRex: 422 when there is no unique match).
            var result = outcome.Result == MemberMatchResult.NoMatch ? "no-match" : "multiple-matches";
            LogOutcome(logger, clientId, result, failedMs);
            return FhirResult.Error(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.Processing, NoUniqueMatch);
        }

        // A success does not wipe earlier failures (only this attempt is not one): a client may not
        // reset its own lockout by matching a member it knows between guesses.
        await guard.SucceededAsync(attempt, cancellationToken);
        await grants.RecordAsync(partner, outcome.Patient!.Id!, request.Consent, cancellationToken);
        var matchedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogMatched(logger, clientId, matchedMs);
        return FhirResult.Ok(Output(MemberIdentifier(outcome, options.Value)));
    }

    /// <summary>
    /// GET /fhir/ExplanationOfBenefit?patient=…&amp;use=preauthorization: the members' prior
    /// authorizations, paged like every search. Each member named must be one this client matched.
    /// </summary>
    public static async Task<FhirResult> SearchExplanationOfBenefitAsync(
        HttpContext context,
        FhirCallers callers,
        PayerToPayerGrants grants,
        PriorAuthorizationEobs eobs,
        FhirCapabilities capabilities,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var parameters = await FhirSearchRoutes.ParametersAsync(context.Request, cancellationToken);
        var search = SearchRequest.Parse(capabilities.Find("ExplanationOfBenefit")!, parameters, FhirPrefer.Lenient(context.Request));
        var uses = search.Of("use").ToList();
        if (uses.Count == 0 || uses.Any(c => !c.Tokens.Any(t => t.Code == "preauthorization")))
        {
            throw FhirHttpException.BadRequest("use=preauthorization is required: only prior authorizations are served.");
        }

        var patientIds = PatientIds(search);

        // Payer-to-payer: a client sees only members it matched with a consent that is still in
        // force; this payer's own staff see every member's.
        var caller = callers.Of(context);
        foreach (var patientId in patientIds)
        {
            if (!caller.IsPayerStaff
                && !(caller.Role == ClientRole.PayerPartner && caller.ClientId is not null && await grants.IsGrantedAsync(PartnerKey.Of(caller), patientId, time.GetUtcNow(), cancellationToken)))
            {
                throw FhirHttpException.Forbidden("This client holds no current consent for a member it named; run $member-match first.");
            }
        }

        var found = new List<Resource>();
        foreach (var patientId in patientIds)
        {
            found.AddRange(await eobs.ForMemberAsync(patientId, cancellationToken));
        }

        return FhirResult.Ok(InMemorySearchPage.Build(context, search, found));
    }

    /// <summary>The members asked for: patient is required, once, as Patient/{id} or {id} (a comma list names several).</summary>
    private static List<string> PatientIds(SearchRequest search)
    {
        var patients = search.Of("patient").ToList();
        if (patients.Count != 1)
        {
            throw FhirHttpException.BadRequest("patient=Patient/{id} is required, once (comma-separate several members).");
        }

        return patients[0].Values
            .Select(SearchValues.Unescape)
            .Select(value => value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value)
            .Select(id => FhirIds.IsValid(id) ? id : throw FhirHttpException.BadRequest($"patient: '{id}' is not a valid member id; use Patient/{{id}}."))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static Identifier MemberIdentifier(MemberMatchOutcome outcome, PayerToPayerOptions options)
    {
        var patient = outcome.Patient!;
        var member = patient.Identifier.FirstOrDefault(i => i.Type?.Coding.Any(c => c.System == IdentifierTypeSystem && c.Code is "MB" or "UMB") == true)
            ?? outcome.MatchedIdentifier;
        return new Identifier
        {
            Type = new CodeableConcept(IdentifierTypeSystem, options.MemberIdentifierTypeCode, "Member Number"),
            System = member?.System ?? options.MemberIdentifierSystem,
            Value = member?.Value ?? patient.Id,
        };
    }

    private static Parameters Output(Identifier memberIdentifier)
    {
        var parameters = new Parameters { Meta = new Meta { Profile = [MemberMatchOutProfile] } };
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "MemberIdentifier", Value = memberIdentifier });
        return parameters;
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "member-match by {ClientId}: matched, consent grant recorded in {ElapsedMs:F1} ms")]
    private static partial void LogMatched(ILogger logger, string clientId, double elapsedMs);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "member-match by {ClientId}: {Outcome} in {ElapsedMs:F1} ms")]
    private static partial void LogOutcome(ILogger logger, string clientId, string outcome, double elapsedMs);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "member-match by {ClientId} refused: locked out after repeated failures")]
    private static partial void LogLockedOut(ILogger logger, string clientId);
}
