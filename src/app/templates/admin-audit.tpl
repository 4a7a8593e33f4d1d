{{%AUTOESCAPE context="HTML"}}<h1>{{t_audit__title}}</h1>
<p class="lead">{{t_audit__intro}}</p>
<form method="get" action="{{HREF}}" class="filter">
<label for="action">{{t_audit__filter_action}}</label>
<input type="text" id="action" name="action" value="{{ACTION}}" dir="ltr" autocomplete="off">
<button type="submit" class="button button-secondary">{{t_audit__filter_submit}}</button>
</form>
{{#EMPTY}}<p>{{t_audit__empty}}</p>
{{/EMPTY}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="table-caption">
<table>
<caption id="table-caption">{{t_audit__list}}</caption>
<thead><tr><th scope="col">#</th><th scope="col">{{t_audit__time}}</th><th scope="col">{{t_audit__action}}</th><th scope="col">{{t_audit__actor}}</th><th scope="col">{{t_audit__object}}</th><th scope="col">{{t_audit__request}}</th></tr></thead>
<tbody>
{{#ENTRY}}<tr><td>{{INDEX}}</td><td>{{TIME}}</td><td dir="ltr">{{ENTRY_ACTION}}</td><td dir="ltr"><code>{{ACTOR}}</code></td><td dir="ltr"><code>{{OBJECT}}</code></td><td dir="ltr"><code>{{REQUEST}}</code></td></tr>
{{/ENTRY}}</tbody>
</table>
</div>
{{#HAS_OLDER}}<p><a href="{{OLDER}}">{{t_audit__older}}</a></p>{{/HAS_OLDER}}
