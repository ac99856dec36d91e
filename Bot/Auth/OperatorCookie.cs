namespace BotEngine.Bot.Auth;

/// <summary>The operator page's session cookie: set by sign-in, removed by sign-out; scripts cannot read it.</summary>
public static class OperatorCookie
{
    public static void Append(HttpContext context, string token, DateTimeOffset expiresAt) =>
        context.Response.Cookies.Append(OperatorTokenHandler.CookieName, token, Options(context, expiresAt));

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(OperatorTokenHandler.CookieName, Options(context, null));

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expiresAt,
    };
}
