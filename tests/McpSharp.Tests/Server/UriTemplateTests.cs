using McpSharp.Server;

namespace McpSharp.Tests.Server;

public class UriTemplateTests
{
    [Theory]
    [InlineData("test://template/{id}/data", "test://template/123/data", "id=123")]
    [InlineData("file:///{+path}", "file:///a/b/c.txt", "path=a/b/c.txt")]
    [InlineData("file:///{+path}", "file:///a,b.csv", "path=a,b.csv")]
    [InlineData("repo://{owner}/{repo}", "repo://octo/hello%20world", "owner=octo;repo=hello world")]
    [InlineData("x://host{/seg}", "x://host/abc", "seg=abc")]
    [InlineData("x://find{?q,lang}", "x://find?q=cats&lang=en", "lang=en;q=cats")]
    [InlineData("x://find{?q,lang}", "x://find?lang=en", "lang=en")]
    [InlineData("x://find{?q}", "x://find", "")]
    [InlineData("x://doc{#section}", "x://doc#intro", "section=intro")]
    [InlineData("x://file{.ext}", "x://file.json", "ext=json")]
    [InlineData("x://m{;x,y}", "x://m;x=1;y=2", "x=1;y=2")]
    [InlineData("x://pair/{a,b}", "x://pair/1,2", "a=1;b=2")]
    [InlineData("x://list{/id*}", "x://list/7", "id=7")]
    public void Matching_uris_yield_their_variables(string template, string uri, string expected)
    {
        Assert.True(new UriTemplate(template).TryMatch(uri, out var variables));
        string actual = string.Join(';', variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("test://template/{id}/data", "test://template/1/2/data")]
    [InlineData("test://template/{id}/data", "test://template/123/other")]
    [InlineData("repo://{owner}/{repo}", "other://a/b")]
    [InlineData("x://file{.ext}", "x://file/json")]
    public void Other_uris_do_not_match(string template, string uri) =>
        Assert.False(new UriTemplate(template).TryMatch(uri, out _));

    [Theory]
    [InlineData("x://{")]
    [InlineData("x://{}")]
    [InlineData("x://{a,}")]
    public void Malformed_templates_are_rejected(string template) =>
        Assert.Throws<FormatException>(() => new UriTemplate(template));
}
