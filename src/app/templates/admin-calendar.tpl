{{%AUTOESCAPE context="HTML"}}<h1>{{t_calendar__title}}</h1>
<p class="lead">{{t_calendar__intro}}</p>
{{#DONE}}<div class="notice" role="status"><p>{{TEXT}}</p></div>
{{/DONE}}<div class="table-scroll" tabindex="0" role="region" aria-labelledby="holidays-caption">
<table>
<caption id="holidays-caption">{{t_calendar__list}}</caption>
<thead><tr><th scope="col">{{t_calendar__day}}</th><th scope="col">{{t_calendar__name}}</th><th scope="col">{{t_calendar__actions}}</th></tr></thead>
<tbody>
{{#HOLIDAY}}<tr><td><time datetime="{{DAY}}">{{DATE}}</time></td><td>{{NAME}}</td>
<td><form method="post" action="{{REMOVE_HREF}}"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="button button-secondary">{{t_calendar__remove}} <span class="visually-hidden">{{DATE}}</span></button></form></td></tr>
{{/HOLIDAY}}</tbody>
</table>
</div>
{{#EMPTY}}<p>{{t_calendar__empty}}</p>
{{/EMPTY}}<h2>{{t_calendar__add}}</h2>
{{>FORM}}
