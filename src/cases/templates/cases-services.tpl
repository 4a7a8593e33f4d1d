{{%AUTOESCAPE context="HTML"}}<h1>{{t_services__title}}</h1>
<form method="get" action="{{HREF}}" class="filter" role="search">
<label for="q">{{t_services__search_label}}</label>
<input type="search" id="q" name="q" value="{{Q}}" autocomplete="off">
<button type="submit" class="button button-secondary">{{t_services__search_submit}}</button>
</form>
{{#SEARCHED}}<p role="status">{{RESULTS}}</p>
{{/SEARCHED}}{{#NOTHING}}<p>{{t_services__none}}</p>
{{#SUGGESTIONS}}<h2>{{t_services__suggest}}</h2>
<ul class="services">
{{#SUGGESTION}}<li><a href="{{SERVICE_HREF}}">{{NAME}}</a></li>
{{/SUGGESTION}}</ul>
{{/SUGGESTIONS}}<p><a href="{{HREF}}">{{t_services__all}}</a></p>
{{/NOTHING}}{{#CATEGORY}}<h2>{{CATEGORY_NAME}}</h2>
<ul class="services">
{{#SERVICE}}<li><a href="{{SERVICE_HREF}}">{{NAME}}</a>{{#IS_REPORT}} <span class="badge">{{t_services__report}}</span>{{/IS_REPORT}}<p>{{DESCRIPTION}}</p></li>
{{/SERVICE}}</ul>
{{/CATEGORY}}<p><a href="/track">{{t_track__link}}</a></p>
