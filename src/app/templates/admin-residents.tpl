{{%AUTOESCAPE context="HTML"}}<h1>{{t_residents__title}}</h1>
<p class="lead">{{t_residents__intro}}</p>
<form method="get" action="{{HREF}}" class="filter">
<label for="q">{{t_residents__search}}</label>
<input type="text" id="q" name="q" value="{{Q}}" dir="ltr" autocomplete="off" inputmode="tel">
<button type="submit" class="button">{{t_residents__find}}</button>
</form>
{{#NOT_FOUND}}<p role="status">{{t_residents__not_found}}</p>
{{/NOT_FOUND}}{{#RESIDENT}}<h2>{{NAME}}</h2>
<dl class="contact">
{{#FIELD}}<dt>{{LABEL}}</dt><dd><span dir="ltr">{{VALUE}}</span>{{#UNMASK}}
<form method="post" action="{{HREF}}" class="inline"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="q" value="{{Q}}"><input type="hidden" name="field" value="{{FIELD}}"><button type="submit" class="button button-secondary">{{t_residents__unmask}} <span class="visually-hidden">{{LABEL}}</span></button></form>{{/UNMASK}}</dd>
{{/FIELD}}</dl>
<p class="hint">{{t_residents__audited}}</p>
{{/RESIDENT}}
