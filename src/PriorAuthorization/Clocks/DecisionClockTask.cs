using System.Globalization;
using Hl7.Fhir.Model;
using Task = Hl7.Fhir.Model.Task;

namespace SpinePolicy.PriorAuthorization.Clocks;

/// <summary>
/// A request's <see cref="DecisionClock"/> as the FHIR Task that tracks the payer's work on it,
/// stored under the request's record id and written in the same transaction as each ClaimResponse
/// version it concerns. FHIR has the elements a decision clock needs: authoredOn is the receipt,
/// priority the timeframe, restriction.period.end the due time, executionPeriod.end the decision,
/// reasonReference the denial an appeal contests, output the appeals filed against it; the extension is kept as typed inputs. The Task
/// is internal (no REST route serves it); the report and the work queue read it.
/// </summary>
internal static class DecisionClockTask
{
    public const string CodeSystem = "https://spinepolicy.example.org/fhir/CodeSystem/prior-authorization-clock";

    private const string InitialCode = "initial-determination";
    private const string AppealCode = "appeal";
    private const string AppealedByCode = "appealed-by";
    private const string ExtensionReason = "timeframe-extension-reason";
    private const string ExtensionLength = "timeframe-extension-hours";
    private const string ExtensionGrantedAt = "timeframe-extension-granted";
    private const string ExtensionGrantedBy = "timeframe-extension-granted-by";

    public static Task ToTask(string recordId, DecisionClock clock)
    {
        var task = new Task
        {
            Id = recordId,
            Status = clock.DecidedAt is not null ? Task.TaskStatus.Completed
                : clock.WithdrawnAt is not null ? Task.TaskStatus.Cancelled
                : Task.TaskStatus.InProgress,
            Intent = Task.TaskIntent.Order,
            Priority = clock.Urgency == RequestUrgency.Urgent ? RequestPriority.Urgent : RequestPriority.Routine,
            Code = new CodeableConcept(CodeSystem, clock.Kind == RequestKind.Appeal ? AppealCode : InitialCode),
            Focus = new ResourceReference($"Claim/{recordId}"),
            AuthoredOnElement = new FhirDateTime(clock.Received),
            Restriction = new Task.RestrictionComponent { Period = new Period { EndElement = new FhirDateTime(clock.DueBy) } },
            ExecutionPeriod = new Period
            {
                StartElement = new FhirDateTime(clock.Received),
                EndElement = (clock.DecidedAt ?? clock.WithdrawnAt) is { } end ? new FhirDateTime(end) : null,
            },
            BusinessStatus = new CodeableConcept { Text = BusinessStatus(clock) },
        };
        if (clock.AppealOf is { } denied)
        {
            task.ReasonReference = new ResourceReference($"ClaimResponse/{denied}");
        }

        if (clock.Extension is { } extension)
        {
            task.Input.Add(Input(ExtensionReason, new FhirString(extension.Reason)));
            task.Input.Add(Input(ExtensionLength, new Integer((int)extension.By.TotalHours)));
            task.Input.Add(Input(ExtensionGrantedAt, new FhirDateTime(extension.GrantedAt)));
            task.Input.Add(Input(ExtensionGrantedBy, new FhirString(extension.GrantedBy)));
        }

        foreach (var appeal in clock.AppealedBy)
        {
            task.Output.Add(new Task.OutputComponent { Type = new CodeableConcept(CodeSystem, AppealedByCode), Value = new ResourceReference($"ClaimResponse/{appeal}") });
        }

        return task;
    }

    public static DecisionClock FromTask(Task task)
    {
        var received = Instant(task.AuthoredOnElement) ?? throw new InvalidOperationException("A decision-clock Task has no authoredOn.");
        var due = Instant(task.Restriction?.Period?.EndElement) ?? throw new InvalidOperationException("A decision-clock Task has no due time.");
        var end = Instant(task.ExecutionPeriod?.EndElement);
        TimeframeExtension? extension = null;
        if (InputValue<FhirString>(task, ExtensionReason)?.Value is { } reason)
        {
            extension = new TimeframeExtension(
                TimeSpan.FromHours(InputValue<Integer>(task, ExtensionLength)?.Value ?? 0),
                reason,
                Instant(InputValue<FhirDateTime>(task, ExtensionGrantedAt)) ?? received,
                InputValue<FhirString>(task, ExtensionGrantedBy)?.Value ?? string.Empty);
        }

        var appealOf = task.ReasonReference?.Reference is { } reference && reference.StartsWith("ClaimResponse/", StringComparison.Ordinal)
            ? reference["ClaimResponse/".Length..]
            : null;
        return new DecisionClock(
            received,
            task.Priority is RequestPriority.Urgent or RequestPriority.Stat or RequestPriority.Asap ? RequestUrgency.Urgent : RequestUrgency.Standard,
            due,
            task.Code?.Coding.Any(c => c.System == CodeSystem && c.Code == AppealCode) == true ? RequestKind.Appeal : RequestKind.Initial,
            appealOf,
            extension,
            task.Status == Task.TaskStatus.Completed ? end : null,
            task.Status == Task.TaskStatus.Cancelled ? end : null)
        {
            AppealedBy = task.Output
                .Where(o => o.Type?.Coding.Any(c => c.System == CodeSystem && c.Code == AppealedByCode) == true)
                .Select(o => (o.Value as ResourceReference)?.Reference)
                .OfType<string>()
                .Where(r => r.StartsWith("ClaimResponse/", StringComparison.Ordinal))
                .Select(r => r["ClaimResponse/".Length..])
                .ToList(),
        };
    }

    private static string BusinessStatus(DecisionClock clock) => clock switch
    {
        { WithdrawnAt: not null } => "withdrawn before a decision",
        { DecidedAt: not null, DecidedLate: true } => "decided late",
        { DecidedAt: not null } => "decided on time",
        _ => "awaiting decision",
    };

    private static Task.ParameterComponent Input(string code, DataType value) =>
        new() { Type = new CodeableConcept(CodeSystem, code), Value = value };

    private static T? InputValue<T>(Task task, string code)
        where T : DataType =>
        task.Input.FirstOrDefault(i => i.Type?.Coding.Any(c => c.System == CodeSystem && c.Code == code) == true)?.Value as T;

    private static DateTimeOffset? Instant(FhirDateTime? value) =>
        value is not null && value.TryToDateTimeOffset(TimeSpan.Zero, out var instant) ? instant : null;
}
