using BotEngine.Http;
using System.Net;
using System.Text.RegularExpressions;
using BotEngine.Channels.DirectLine;
using BotEngine.Storage;
using Microsoft.Extensions.FileProviders;

namespace BotEngine.Bot.Web;

/// <summary>The built-in pages: the client chat at / and the operator workplace at /operator, rendered in Russian or English.</summary>
public static partial class Pages
{
    private const string VisitorCookie = "botengine_visitor";
    private static readonly string StaticRoot = Path.Combine(AppContext.BaseDirectory, "Web", "static");

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        if (app is IApplicationBuilder builder && Directory.Exists(StaticRoot))
        {
            builder.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(StaticRoot), RequestPath = "/static" });
        }
        app.MapGet("/", (HttpContext c) => Render(c, "chat.html")).ExcludeFromDescription().AllowPublic("a public page");
        app.MapGet("/operator", (HttpContext c) => Render(c, "operator.html")).ExcludeFromDescription().AllowPublic("a public page; its API calls need a token");
        app.MapGet("/widget", (HttpContext c) => Render(c, "widget.html")).ExcludeFromDescription().AllowPublic("the web widget's frame, a public page");
        app.MapGet("/kb", (HttpContext c) => Render(c, "kb.html")).ExcludeFromDescription().AllowPublic("a public page; its API calls need a token");
        app.MapGet("/kb/labelling", (HttpContext c) => Render(c, "labelling.html")).ExcludeFromDescription().AllowPublic("a public page; its API calls need a token");
        app.MapGet("/supervisor", (HttpContext c) => Render(c, "supervisor.html")).ExcludeFromDescription().AllowPublic("a public page; its API calls need a token");
        app.MapGet("/history", (HttpContext c) => Render(c, "history.html")).ExcludeFromDescription().AllowPublic("a public page; its API calls need a token");
        app.MapGet("/statistics", (HttpContext c) => Render(c, "statistics.html")).ExcludeFromDescription().AllowPublic("a public page; its API calls need a token");
        app.MapGet("/admin/users", (HttpContext c) => Render(c, "users.html")).ExcludeFromDescription().AllowPublic("a public page; its API calls need a token");
        app.MapPost("/webchat/token", IssueWebChatTokenAsync).ExcludeFromDescription()
            .AllowPublic("nothing: it gives a visitor a token for a new conversation of their own");
        return app;
    }

    /// <summary>
    /// The built-in page's way to a Direct Line token without holding the secret: a visitor cookie (random,
    /// unguessable) names the web chat user, so a returning visitor is the same client.
    /// </summary>
    private static async Task<IResult> IssueWebChatTokenAsync(HttpContext context, DirectLineAuth auth, DirectLineStore store, CancellationToken ct)
    {
        var visitor = context.Request.Cookies[VisitorCookie];
        if (visitor is null || !VisitorPattern().IsMatch(visitor))
        {
            visitor = "dl_" + Ids.New();
            context.Response.Cookies.Append(VisitorCookie, visitor, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                MaxAge = TimeSpan.FromDays(365),
            });
        }
        var conversationId = Ids.New();
        await store.CreateConversationAsync(conversationId, visitor, ct);
        return Results.Ok(new { conversationId, token = auth.Issue(conversationId, visitor), expires_in = (int)auth.Lifetime.TotalSeconds, userId = visitor });
    }

    private static IResult Render(HttpContext context, string page)
    {
        var language = PickLanguage(context.Request);
        var template = File.ReadAllText(Path.Combine(StaticRoot, page));
        var html = Placeholder().Replace(template, m => WebUtility.HtmlEncode(UiStrings.Get(m.Groups[1].Value, language)));
        return Results.Content(html.Replace("{{lang}}", language, StringComparison.Ordinal), "text/html; charset=utf-8");
    }

    internal static string PickLanguage(HttpRequest request)
    {
        var asked = request.Query["lang"].ToString();
        if (asked is "ru" or "en")
            return asked;
        var accept = request.Headers.AcceptLanguage.ToString();
        return accept.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "ru";
    }

    [GeneratedRegex(@"\{\{t:([a-z0-9_.]+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^dl_[0-9a-f]{32}$")]
    private static partial Regex VisitorPattern();
}
