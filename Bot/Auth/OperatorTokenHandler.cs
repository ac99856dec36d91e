using BotEngine.Http;
using System.Security.Claims;
using System.Text.Encodings.Web;
using BotEngine.Engine.Desk;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Auth;

/// <summary>
/// Accepts an operator token (or an API key, see <see cref="ApiKeys"/>) from the Authorization header, or from the <c>botengine_token</c> cookie that sign-in
/// sets (HttpOnly, so page scripts never hold the token). The operator's row is read on every call, so a permission
/// change, a disabled account or a revoked session (token version raised) applies at once.
/// </summary>
public sealed class OperatorTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OperatorTokens tokens,
    OperatorAccounts accounts,
    ApiKeys apiKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OperatorToken";
    public const string CookieName = "botengine_token";
    /// <summary>The token version the request was authenticated with, for long-lived requests that re-check it.</summary>
    public const string SessionVersionClaim = "ver";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Direct Line carries its own bearer credentials; operator tokens only mean something on the API (and the jobs dashboard).
        if (!Request.Path.StartsWithSegments("/api") && !Request.Path.StartsWithSegments("/jobs"))
            return AuthenticateResult.NoResult();
        string? token = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            token = header["Bearer ".Length..].Trim();
        else if (Request.Cookies.TryGetValue(CookieName, out var cookie))
            token = cookie;
        if (string.IsNullOrEmpty(token))
            return AuthenticateResult.NoResult();

        if (token.StartsWith(ApiKeys.Prefix, StringComparison.Ordinal))
        {
            var (principal, refusal) = await apiKeys.AuthenticateAsync(token, Request.Path, SchemeName, Context.RequestAborted);
            return principal is null ? AuthenticateResult.Fail(refusal!) : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
        }
        var session = tokens.Validate(token);
        if (session is null)
            return AuthenticateResult.Fail("The token is invalid or expired; sign in again.");
        var row = await accounts.FindAsync(session.OperatorId, Context.RequestAborted);
        if (row is null)
            return AuthenticateResult.Fail("The operator no longer exists.");
        if (row.DisabledAt is not null)
            return AuthenticateResult.Fail("This operator account is disabled.");
        if (row.TokenVersion != session.Version)
            return AuthenticateResult.Fail("This session has ended (signed out, password changed or access revoked); sign in again.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, row.Id),
            new(ClaimTypes.Name, row.Login),
            new(SessionVersionClaim, row.TokenVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(row.PermissionNames().Select(p => new Claim(PermissionClaim.Type, p)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        // A cookie that no longer signs anyone in is of no use to the browser; the page cannot delete an HttpOnly one itself.
        if (result.Failure is not null && Request.Cookies.ContainsKey(CookieName))
            OperatorCookie.Delete(Context);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var detail = result.Failure is { } failure
            ? failure.Message
            : "A valid operator token is required: POST /api/v1/auth/token, then send 'Authorization: Bearer <token>'.";
        await Results.Problem(statusCode: 401, title: "Unauthorized", detail: detail).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem(statusCode: 403, title: "Forbidden", detail: "Your role does not allow this action.").ExecuteAsync(Context);
    }
}
