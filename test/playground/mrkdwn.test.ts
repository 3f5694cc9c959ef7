// The page's mrkdwn renderer, in Node: what a Slack client shows for the text Turf sends.
import { describe, expect, it } from "vitest";
import { formatSlackDate, renderMrkdwn } from "../../src/playground/page/mrkdwn.js";

const ctx = {
  users: { U0X46LDYZAB: "Hannah Vogel", U0L4A5HCGZ2: "Dana Whitfield" },
  channels: { C0REBALANC1: "territory-changes" },
  me: "U0X46LDYZAB",
  timeZone: "Europe/Berlin",
  now: new Date("2026-11-02T09:00:00Z"),
};

describe("renderMrkdwn", () => {
  it("shows a person's name for <@U…> and a channel's for <#C…>, highlighting the reader", () => {
    const html = renderMrkdwn("Owned by <@U0L4A5HCGZ2>; ask <@U0X46LDYZAB> in <#C0REBALANC1|ignored>", ctx);
    expect(html).toContain('data-user="U0L4A5HCGZ2">@Dana Whitfield</span>');
    expect(html).toContain('class="mention mention-me" data-user="U0X46LDYZAB">@Hannah Vogel');
    expect(html).toContain(">#territory-changes</span>");
  });

  it("falls back to the label, then the id, for people and channels it does not know", () => {
    expect(renderMrkdwn("<@U0NOBODY1|sam> and <@U0NOBODY2>", ctx)).toMatch(
      /@sam<\/span>.*@U0NOBODY2<\/span>/,
    );
    expect(renderMrkdwn("<#C0UNKNOWN|general>", ctx)).toContain("#general</span>");
  });

  it("writes <!date^…> in the reader's time zone, with the pretty forms relative to now", () => {
    // 2026-11-04 09:00 UTC is 10:00 in Berlin and 04:00 in New York.
    const token = "<!date^1793782800^{date_short_pretty} at {time}|Nov 4, 2026 09:00 UTC>";
    expect(renderMrkdwn(token, ctx)).toContain(">Nov 4, 2026 at 10:00 AM</span>");
    expect(renderMrkdwn(token, { ...ctx, timeZone: "America/New_York" })).toContain(
      ">Nov 4, 2026 at 4:00 AM<",
    );
    expect(renderMrkdwn(token, { ...ctx, now: new Date("2026-11-04T08:00:00Z") })).toContain(
      ">today at 10:00 AM<",
    );
    expect(formatSlackDate(1793782800, "{date_num} {date_long}", "UTC", ctx.now)).toBe(
      "2026-11-04 Wednesday, November 4th, 2026",
    );
    expect(formatSlackDate(1793782800, "{ago}", "UTC", ctx.now)).toBe("in 2 days");
  });

  it("renders links with and without labels, and escapes everything else", () => {
    const html = renderMrkdwn(
      "See <https://crm.example/opp?id=1&amp;x=2|the deal> or <mailto:a@b.example>",
      ctx,
    );
    expect(html).toContain('<a href="https://crm.example/opp?id=1&amp;amp;x=2"');
    expect(html).toContain(">the deal</a>");
    expect(html).toContain(">a@b.example</a>");
    expect(renderMrkdwn("<script>alert(1)</script> &lt;b&gt; Smith &amp; Co", ctx)).not.toContain("<script>");
    expect(renderMrkdwn("&lt;b&gt; Smith &amp; Co", ctx)).toBe("&lt;b&gt; Smith &amp; Co");
  });

  it("formats *bold*, _italic_, ~strike~, `code`, code blocks and quotes as Slack does", () => {
    expect(renderMrkdwn("*Globex* is _owned_ by ~nobody~", ctx)).toBe(
      "<b>Globex</b> is <i>owned</i> by <s>nobody</s>",
    );
    expect(renderMrkdwn("id `001_GLOBEX_*x*`", ctx)).toBe("id <code>001_GLOBEX_*x*</code>");
    expect(renderMrkdwn("snake_case_name and 2*3*4", ctx)).toBe("snake_case_name and 2*3*4");
    expect(renderMrkdwn("```a <@U0L4A5HCGZ2>\n*b*```", ctx)).toBe(
      '<pre class="code-block">a &lt;@U0L4A5HCGZ2&gt;\n*b*</pre>',
    );
    expect(renderMrkdwn("&gt; quoted\n&gt; twice\nafter", ctx)).toBe(
      "<blockquote>quoted<br>twice</blockquote>after",
    );
    expect(renderMrkdwn("*bold with <@U0L4A5HCGZ2>*", ctx)).toMatch(/^<b>bold with <span/);
  });

  it("turns :emoji: codes into emoji and leaves unknown ones as typed", () => {
    expect(renderMrkdwn(":white_check_mark: done :not_an_emoji:", ctx)).toBe("✅ done :not_an_emoji:");
  });
});
