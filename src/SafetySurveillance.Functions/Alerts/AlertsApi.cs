using Microsoft.AspNetCore.Http;
using SafetySurveillance.Domain.Alerts;
using SafetySurveillance.Functions.Dashboard;
using SafetySurveillance.Storage.Alerts;

namespace SafetySurveillance.Functions.Alerts;

/// <summary>What the alert HTTP functions share beyond <see cref="DashboardApi"/>: answers for alerts and the lifecycle actions.</summary>
public static class AlertsApi
{
    /// <summary>Attempts at a lifecycle action whose row keeps changing (an evaluation writing the same alert).</summary>
    private const int MaxActionAttempts = 5;

    /// <summary>404: no such alert, or one the caller may not see (the same answer, on purpose).</summary>
    public static IResult NotFound(string function) =>
        DashboardApi.Answer(StatusCodes.Status404NotFound, new ApiError("not_found", "No such alert."), $"{function}: alert not found");

    /// <summary>503 when the Alerts table cannot be read or written.</summary>
    public static IResult StorageUnavailable(string function, Exception exception) =>
        DashboardApi.Answer(StatusCodes.Status503ServiceUnavailable, new ApiError("storage_unavailable", "Alerts could not be read or written; try again later."), $"{function}: storage failed ({exception.GetType().Name})");

    /// <summary>
    /// One invocation of a lifecycle function (<c>AcknowledgeAlert</c>, <c>ResolveAlert</c>): a signed-in POST whose
    /// route carries the alert id, then <see cref="ActAsync"/>; 503 when the Alerts table fails.
    /// </summary>
    public static async Task<IResult> InvokeActionAsync(
        string function,
        Func<AlertState, AlertAction, AlertTransition> action,
        HttpContext context,
        IServiceProvider services,
        AlertStore store,
        DashboardOptions dashboard,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        CancellationToken cancellationToken = context.RequestAborted;
        SignedInRequest begun = await DashboardApi.BeginAsync(context, services, function, HttpMethods.Post, cancellationToken).ConfigureAwait(false);
        if (begun.Refusal is { } refusal)
        {
            return refusal;
        }

        try
        {
            return await ActAsync(function, begun.Caller!, begun.Request!.Params.GetValueOrDefault("id"), begun.Request.Body, action, store, dashboard, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AlertConflictException or AlertFormatException)
        {
            return StorageUnavailable(function, ex);
        }
    }

    /// <summary>
    /// Acknowledges or resolves an alert as <paramref name="caller"/>: 404 when it does not exist or the caller may not
    /// see it, 403 when they may see but not act on it, 409 when the lifecycle refuses (a resolved alert cannot be
    /// acknowledged), otherwise 200 with the alert. Repeating an action changes nothing and answers 200. The write is
    /// conditional on the row's ETag and keeps the row's outbox; a concurrent change makes it read and apply again.
    /// </summary>
    public static async Task<IResult> ActAsync(
        string function,
        Access.Caller caller,
        string? idText,
        string? body,
        Func<AlertState, AlertAction, AlertTransition> action,
        AlertStore store,
        DashboardOptions dashboard,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dashboard);
        ArgumentNullException.ThrowIfNull(time);
        if (!TryParseId(idText, out AlertId id))
        {
            return NotFound(function);
        }

        if (!AlertNote.TryRead(body, out string? note, out string? problem))
        {
            return DashboardApi.Answer(StatusCodes.Status400BadRequest, new ApiError("invalid_body", problem!), $"{function}: invalid body");
        }

        for (int attempt = 1; ; attempt++)
        {
            StoredAlert? stored = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (stored is null || !AlertAccess.MaySee(caller, stored.State))
            {
                return NotFound(function);
            }

            if (!AlertAccess.MayAct(caller, stored.State))
            {
                return DashboardApi.Answer(StatusCodes.Status403Forbidden, new ApiError("forbidden", "Only a reviewer or the trust's own governance lead may act on this alert."), $"{function}: caller may not act on the alert (403)");
            }

            AlertTransition transition = action(stored.State, new AlertAction(caller.Subject, time.GetUtcNow(), note));
            if (transition.State is not { } changed)
            {
                return DashboardApi.Answer(StatusCodes.Status409Conflict, new ApiError("invalid_transition", transition.Error ?? "Not possible in the alert's state."), $"{function}: refused by the lifecycle ({stored.State.Status})");
            }

            if (changed == stored.State)
            {
                return DashboardApi.Answer(StatusCodes.Status200OK, AlertView.From(stored, dashboard), $"{function}: already {stored.State.Status}");
            }

            try
            {
                StoredAlert saved = await store.SaveAsync(changed, stored.PendingSends, stored.ETag, cancellationToken).ConfigureAwait(false);
                return DashboardApi.Answer(StatusCodes.Status200OK, AlertView.From(saved, dashboard), $"{function}: alert now {changed.Status}");
            }
            catch (AlertConflictException) when (attempt < MaxActionAttempts)
            {
                // An evaluation (or another person) wrote the alert meanwhile: read it again and apply the action to that.
            }
        }
    }

    /// <summary>Reads the <c>{id}</c> route value: the alert id, as the host decoded it from the URL (or still encoded once).</summary>
    public static bool TryParseId(string? text, out AlertId id)
    {
        if (AlertKeys.TryParseId(text, out id))
        {
            return true;
        }

        return text is not null && text.Contains('%', StringComparison.Ordinal) && AlertKeys.TryParseId(Uri.UnescapeDataString(text), out id);
    }
}
