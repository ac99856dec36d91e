using BotEngine.Http;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Desk;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <summary>Sign-in, sign-out, passwords and disabling accounts: everything that starts or ends an operator's session.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("auth");
        api.MapPost("/auth/token", IssueTokenAsync)
            .AllowPublic("login and password, throttled per login and per address");
        api.MapPost("/auth/logout", LogoutAsync).RequireSignedIn();
        api.MapPost("/operators/me/password", ChangeOwnPasswordAsync).RequirePermission(Permission.ChangePassword);
        api.MapPut("/operators/{id}/password", ResetPasswordAsync).RequirePermission(Permission.ModifyUsers);
        api.MapPost("/operators/{id}/disable", async Task<Results<Ok<OperatorDto>, ProblemHttpResult>> (string id, AccountDisabling disabling, CancellationToken ct) =>
            await DeskResults.RunForOk(async () => ApiEndpoints.ToDto(await disabling.DisableAsync(id, ct))))
            .RequirePermission(Permission.ModifyUsers);
        api.MapPost("/operators/{id}/enable", async Task<Results<Ok<OperatorDto>, ProblemHttpResult>> (string id, AccountDisabling disabling, CancellationToken ct) =>
            await DeskResults.RunForOk(async () => ApiEndpoints.ToDto(await disabling.EnableAsync(id, ct))))
            .RequirePermission(Permission.ModifyUsers);
        return app;
    }

    /// <summary>Signs in: the token in the body (for API clients) and in the HttpOnly cookie (for the operator page).</summary>
    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(TokenRequest? request, HttpContext context,
        OperatorSignIn signIn, OperatorTokens tokens, CancellationToken ct)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Login) || string.IsNullOrEmpty(request.Password))
            return BadRequest("Send {\"login\": \"...\", \"password\": \"...\"}.");
        var check = await signIn.CheckAsync(request.Login.Trim(), request.Password, context.Connection.RemoteIpAddress, ct);
        return check is PasswordCheck.Passed passed
            ? TypedResults.Ok(StartSession(context, tokens, passed.Operator))
            : Refused(context, check, "Wrong login or password.");
    }

    /// <summary>
    /// Ends the operator's sessions (every token issued to them so far) and removes the page's cookie. The operator goes
    /// offline, their dialogs returned as going offline returns them: nobody is left "online" without a page.
    /// </summary>
    private static async Task<NoContent> LogoutAsync(HttpContext context, OperatorAccounts accounts, OperatorDesk desk, CancellationToken ct)
    {
        await desk.SignOutAsync(context.User.OperatorId(), ct);
        await accounts.RevokeSessionsAsync(context.User.OperatorId(), ct);
        OperatorCookie.Delete(context);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The operator changes their own password, proving the current one (checked like a sign-in, so a stolen token
    /// cannot be used to guess it). Other sessions end; this one continues with the new token returned.
    /// </summary>
    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> ChangeOwnPasswordAsync(PasswordChangeRequest? request, HttpContext context,
        OperatorAccounts accounts, OperatorSignIn signIn, OperatorTokens tokens, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request?.CurrentPassword))
            return BadRequest("currentPassword: required.");
        if (string.IsNullOrEmpty(request.NewPassword))
            return BadRequest("newPassword: required.");
        if (request.NewPassword == request.CurrentPassword)
            return BadRequest("newPassword: must differ from the current password.");
        var me = await accounts.FindAsync(context.User.OperatorId(), ct);
        if (me is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "The operator no longer exists.");
        var check = await signIn.CheckAsync(me.Login, request.CurrentPassword, context.Connection.RemoteIpAddress, ct);
        if (check is not PasswordCheck.Passed)
            return Refused(context, check, "currentPassword: this is not your current password.", wrongStatus: 400);
        return await DeskResults.RunForOk(async () => StartSession(context, tokens, await accounts.SetPasswordAsync(me.Id, request.NewPassword, ct)));
    }

    /// <summary>An administrator sets another operator's password: that operator's sessions end and a lockout is lifted.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ResetPasswordAsync(string id, PasswordResetRequest? request, HttpContext context,
        OperatorAccounts accounts, LoginThrottle throttle, CancellationToken ct)
    {
        if (id == context.User.OperatorId())
            return BadRequest("id: to change your own password use POST /api/v1/operators/me/password with your current password.");
        return await DeskResults.Run(async () =>
        {
            var updated = await accounts.SetPasswordAsync(id, request?.NewPassword ?? "", ct);
            throttle.Forget(updated.Login);
        });
    }

    private static TokenResponse StartSession(HttpContext context, OperatorTokens tokens, Storage.OperatorRow row)
    {
        var (token, expires) = tokens.Issue(row.Id, row.TokenVersion);
        OperatorCookie.Append(context, token, expires);
        return new TokenResponse(token, expires, row.Id);
    }

    /// <summary>A check that did not pass: throttled is 429 and busy 503, both with Retry-After; a wrong password as given.</summary>
    private static ProblemHttpResult Refused(HttpContext context, PasswordCheck check, string wrongDetail, int wrongStatus = 401)
    {
        switch (check)
        {
            case PasswordCheck.Throttled throttled:
                context.Response.Headers.RetryAfter = throttled.Refusal.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: 429, title: "Too many requests", detail: throttled.Refusal.Message);
            case PasswordCheck.Busy:
                context.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(statusCode: 503, title: "Busy", detail: new PasswordHashingBusyException().Message);
            case PasswordCheck.Disabled:
                return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "This operator account is disabled; ask an administrator.");
            default:
                return TypedResults.Problem(statusCode: wrongStatus, title: wrongStatus == 401 ? "Unauthorized" : "Bad request", detail: wrongDetail);
        }
    }

    private static ProblemHttpResult BadRequest(string detail) => TypedResults.Problem(statusCode: 400, title: "Bad request", detail: detail);
}
