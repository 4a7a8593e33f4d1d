{{%AUTOESCAPE context="HTML"}}<h1>{{t_security__title}}</h1>
{{#DONE}}<div class="notice" role="status"><p>{{DONE_TEXT}}</p></div>
{{/DONE}}<p class="lead">{{t_security__intro}}</p>
<h2 id="password">{{t_security__password_heading}}</h2>
<p>{{t_security__password_intro}}</p>
{{>FORM}}
<h2 id="sessions">{{t_security__sessions_heading}}</h2>
<p>{{t_security__sessions_intro}}</p>
<ul class="sessions">
{{#SESSION}}<li class="card">
<h3 id="session-{{N}}">{{AGENT}}{{#CURRENT}} ({{t_security__this_session}}){{/CURRENT}}</h3>
<dl class="contact">
<dt>{{t_security__signed_in}}</dt><dd>{{SIGNED_IN}}</dd>
<dt>{{t_security__last_seen}}</dt><dd>{{LAST_SEEN}}</dd>
{{#HAS_NETWORK}}<dt>{{t_security__network}}</dt><dd dir="ltr">{{NETWORK}}</dd>
{{/HAS_NETWORK}}</dl>
{{#OTHER}}<form method="post" action="/account/security/sessions/end">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="session" value="{{ID}}">
<button type="submit" class="button-secondary" aria-describedby="session-{{N}}">{{t_security__end_session}}</button>
</form>
{{/OTHER}}</li>
{{/SESSION}}</ul>
{{#HAS_OTHERS}}<form method="post" action="/account/security/sessions/end-others">
<input type="hidden" name="csrf" value="{{CSRF}}">
<button type="submit" class="button">{{t_security__end_others}}</button>
</form>
{{/HAS_OTHERS}}<h2 id="second-factor">{{t_security__totp_heading}}</h2>
<p>{{TOTP_STATUS}}</p>
<p><a href="/account/totp">{{TOTP_LINK}}</a></p>
{{#TOTP_REQUIRED}}<p>{{t_security__totp_required}}</p>
{{/TOTP_REQUIRED}}{{#TOTP_REMOVE}}<h3 id="remove-totp">{{t_security__totp_remove_heading}}</h3>
<p>{{t_security__totp_remove_intro}}</p>
{{>REMOVE_FORM}}
{{/TOTP_REMOVE}}<p><a href="/account">{{t_account__back}}</a></p>
