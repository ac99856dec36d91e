using BotEngine.Http;
using System.Net;
using System.Text.RegularExpressions;
using BotEngine.Channels.DirectLine;
using BotEngine.Storage;
using Microsoft.Extensions.FileProviders;

namespace BotEngine.Bot.Web;

/// <summary>The built-in pages (the client chat at /, the operator workplace at /operator, the KB editor, supervisors' and administrators' pages), rendered in Russian or English.</summary>
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
        app.MapGet("/admin/webhooks", (HttpContext c) => Render(c, "webhooks.html")).ExcludeFromDescription().AllowPublic("a public page; its API calls need a token");
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
        var template = PartialPlaceholder().Replace(File.ReadAllText(Path.Combine(StaticRoot, page)), m => Partial(m.Groups[1].Value, m.Groups[2].Value));
        var html = Placeholder().Replace(template, m => WebUtility.HtmlEncode(UiStrings.Get(m.Groups[1].Value, language)));
        return Results.Content(html.Replace("{{lang}}", language, StringComparison.Ordinal), "text/html; charset=utf-8");
    }

    /// <summary>
    /// The parts the signed-in pages share, written once: <c>{{partial:account}}</c> is the header's user name, language
    /// switch and sign-out button; <c>{{partial:signin:KEY}}</c> the sign-in form, KEY naming the string shown to an
    /// operator without the page's permission, with the texts the pages show for a refused API call; <c>{{partial:svnav:PAGE}}</c>
    /// the links between supervisors' pages.
    /// </summary>
    private static string Partial(string name, string argument) => name switch
    {
        "account" => """
            <span id="me"></span>
                <select id="ui-language" aria-label="{{t:sv.language}}" title="{{t:sv.language}}">
                  <option value="ru">Русский</option>
                  <option value="en">English</option>
                </select>
                <button id="signout" class="secondary" hidden>{{t:op.signout}}</button>
            """,
        "signin" => """
            <form class="login" id="login">
                <label>{{t:op.login}} <input id="login-name" name="login" autocomplete="username" required></label>
                <label>{{t:op.password}} <input id="login-password" name="password" type="password" autocomplete="current-password" required></label>
                <div class="error" id="login-error" data-bad="{{t:op.bad_login}}" data-too-many="{{t:op.too_many}}" data-disabled="{{t:op.disabled}}" data-busy="{{t:op.busy}}" data-no-access="{{t:NO_ACCESS}}"></div>
                <button type="submit">{{t:op.signin}}</button>
              </form>
              <div id="status-texts" hidden data-s400="{{t:page.err.400}}" data-s403="{{t:page.err.403}}" data-s404="{{t:page.err.404}}" data-s409="{{t:page.err.409}}" data-s413="{{t:page.err.413}}" data-s429="{{t:page.err.429}}" data-s503="{{t:page.err.503}}" data-other="{{t:page.err.other}}"></div>
            """.Replace("NO_ACCESS", argument, StringComparison.Ordinal),
        "svnav" => SupervisorNavigation(argument),
        _ => throw new InvalidOperationException($"A page names the unknown partial '{name}'."),
    };

    /// <summary>The links between the supervisors' and administrators' pages (<c>{{partial:svnav:PAGE}}</c>), the current one marked.</summary>
    private static string SupervisorNavigation(string current)
    {
        (string Name, string Path)[] pages =
            [("monitoring", "/supervisor"), ("history", "/history"), ("statistics", "/statistics"), ("users", "/admin/users"), ("webhooks", "/admin/webhooks")];
        var links = pages.Select(p => $"<a href=\"{p.Path}\"{(p.Name == current ? " aria-current=\"page\"" : "")}>{{{{t:sv.nav.{p.Name}}}}}</a>");
        return $"<nav class=\"pages\">{string.Concat(links)}</nav>";
    }

    internal static string PickLanguage(HttpRequest request)
    {
        var asked = request.Query["lang"].ToString();
        if (asked is "ru" or "en")
            return asked;
        var accept = request.Headers.AcceptLanguage.ToString();
        return accept.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "ru";
    }

    [GeneratedRegex(@"\{\{partial:([a-z]+)(?::([a-z0-9_.]+))?\}\}")]
    private static partial Regex PartialPlaceholder();

    [GeneratedRegex(@"\{\{t:([a-z0-9_.]+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^dl_[0-9a-f]{32}$")]
    private static partial Regex VisitorPattern();
}
