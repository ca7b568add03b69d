using Microsoft.AspNetCore.Http;

namespace McpSharp.AspNetCore.Http;

/// <summary>
/// POST, steps 4 and 5: Accept (406) and Content-Type (415), then the body (413, -32700, -32600); then the request goes
/// to the session path (<see cref="SessionPost"/>) or, in stateless mode, stands alone (<see cref="StatelessPost"/>).
/// </summary>
internal sealed class PostHandler(SessionPost sessions, StatelessPost stateless, McpHttpOptions options)
{
    public async Task HandleAsync(HttpContext http)
    {
        if (!await ContentNegotiation.CheckPostAsync(http).ConfigureAwait(false))
        {
            return;
        }

        var body = await JsonRpcBodyReader.ReadAsync(http, options.MaxRequestBodySize).ConfigureAwait(false);
        if (!body.Ok)
        {
            await HttpErrors.WriteAsync(http, body.Status, body.Error!.Code, body.Error.Message, body.ErrorId).ConfigureAwait(false);
            return;
        }

        await (options.Stateless ? stateless.HandleAsync(http, body) : sessions.HandleAsync(http, body)).ConfigureAwait(false);
    }
}
